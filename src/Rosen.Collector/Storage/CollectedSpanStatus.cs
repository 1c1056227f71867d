namespace Rosen.Collector.Storage;

/// <summary>The OpenTelemetry status of a collected span.</summary>
public enum CollectedSpanStatus
{
    /// <summary>The span did not set a status.</summary>
    Unset = 0,

    /// <summary>The span was marked successful.</summary>
    Ok = 1,

    /// <summary>The span recorded an error.</summary>
    Error = 2,
}
