namespace Rosen.Collector.PostgreSql;

/// <summary>Span times are stored as nanoseconds since the Unix epoch, as OTLP sends them.</summary>
internal static class UnixNano
{
    public static long From(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public static DateTimeOffset ToTime(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
}
