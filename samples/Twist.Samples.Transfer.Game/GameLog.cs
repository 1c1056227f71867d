namespace Twist.Samples.Transfer.Game;

/// <summary>GAME1's own log messages.</summary>
internal static partial class GameLog
{
    [LoggerMessage(EventId = 1, EventName = "CleartextHttp2Enabled", Level = LogLevel.Information,
        Message = "GAME1's plain-http port serves HTTP/1.1 and HTTP/2 with prior knowledge (h2c, what the coordinator's gRPC calls to grpc:// links use); Kestrel's warning 'HTTP/2 is not enabled' (EventId 64) does not apply.")]
    public static partial void CleartextHttp2Enabled(ILogger logger);
}
