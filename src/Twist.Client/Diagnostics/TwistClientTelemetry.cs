namespace Twist.Client.Diagnostics;

/// <summary>Names the caller SDK's telemetry, for OpenTelemetry registration (<c>AddSource</c>).</summary>
public static class TwistClientTelemetry
{
    /// <summary>The name of the SDK's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string Name = "Twist.Client";

    /// <summary>The span attribute that carries the transaction id.</summary>
    public const string TransactionIdAttribute = "twist.transaction.id";

    /// <summary>The span attribute that carries the transaction status the coordinator answered with.</summary>
    public const string StatusAttribute = "twist.transaction.status";

    /// <summary>The span attribute that carries how many participants were sent with a confirm.</summary>
    public const string ParticipantCountAttribute = "twist.participant.count";
}
