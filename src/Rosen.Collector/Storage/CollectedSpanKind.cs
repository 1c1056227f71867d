namespace Rosen.Collector.Storage;

/// <summary>The OpenTelemetry kind of a collected span.</summary>
public enum CollectedSpanKind
{
    /// <summary>An operation inside one service (also used when the sender did not say).</summary>
    Internal = 1,

    /// <summary>The server side of a remote call.</summary>
    Server = 2,

    /// <summary>The client side of a remote call.</summary>
    Client = 3,

    /// <summary>Sending a message.</summary>
    Producer = 4,

    /// <summary>Processing a message.</summary>
    Consumer = 5,
}
