using System.Diagnostics;
using System.Reflection;
using Twist.Client.Diagnostics;

namespace Twist.Client.Internal;

/// <summary>Holds the SDK's one <see cref="ActivitySource"/>, created with the assembly version.</summary>
internal static class ClientActivitySource
{
    public static readonly ActivitySource Instance = new(
        TwistClientTelemetry.Name,
        typeof(ClientActivitySource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Starts a client span; returns <see langword="null"/> when no one listens.</summary>
    public static Activity? Start(string name, string? tid)
    {
        var activity = Instance.StartActivity(name, ActivityKind.Client);
        if (activity is not null && tid is not null)
        {
            activity.SetTag(TwistClientTelemetry.TransactionIdAttribute, tid);
        }

        return activity;
    }

    /// <summary>Marks a span failed; instrumentation never throws into user code.</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.AddException(exception);
    }
}
