using Twist.Samples.Transfer;

var (options, error) = SampleOptions.Parse(args, Environment.GetEnvironmentVariable);
if (options is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine(SampleOptions.Usage);
    return string.IsNullOrEmpty(error) ? 0 : 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    return await TransferStory.RunAsync(options, Console.Out, stop.Token);
}
catch (Exception ex) when (ex is Twist.Errors.TwistException or TimeoutException or Microsoft.Extensions.Options.OptionsValidationException)
{
    // A coordinator that cannot be reached or refuses the caller: say so plainly, without a stack trace.
    Console.Error.WriteLine($"The story stopped: {ex.Message}");
    return 1;
}
