namespace Twist.Coordinator.Host;

/// <summary>The host's own log messages (EventIds 2090-2099 of the Twist API range).</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 2090, EventName = "CleartextHttp2Enabled", Level = LogLevel.Information,
        Message = "Plain-http endpoints serve HTTP/1.1 and HTTP/2 with prior knowledge (h2c, used by gRPC clients) on the same port; Kestrel's warning 'HTTP/2 is not enabled' (EventId 64) does not apply. Set Twist:Host:CleartextHttp2=false to turn this off.")]
    public static partial void CleartextHttp2Enabled(ILogger logger);
}
