using Microsoft.Extensions.Options;
using Twist.Coordinator.Host;

// All composition lives in TwistCoordinatorHost so the integration tests run exactly this host on a real Kestrel.
try
{
    var app = TwistCoordinatorHost.Build(args);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (OptionsValidationException ex)
{
    // A configuration mistake, not a crash: say what to fix, without a stack trace.
    await Console.Error.WriteLineAsync("The Twist coordinator cannot start because its configuration is invalid:").ConfigureAwait(false);
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync("  - " + failure).ConfigureAwait(false);
    }

    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal))
{
    // Strict binding found a key the options do not have (usually a typo).
    await Console.Error.WriteLineAsync("The Twist coordinator cannot start because its configuration has an unknown key:").ConfigureAwait(false);
    await Console.Error.WriteLineAsync("  - " + ex.Message).ConfigureAwait(false);
    return 2;
}
