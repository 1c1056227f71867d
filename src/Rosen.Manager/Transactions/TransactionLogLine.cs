using System.Globalization;
using Rosen.Collector.Storage;

namespace Rosen.Manager.Transactions;

/// <summary>
/// A log record of a transaction as its page shows it: placed against the start of the timeline, with a severity people
/// read at a glance and the tone of its badge.
/// </summary>
public sealed record TransactionLogLine(CollectedLogRecord Record, TimeSpan? Offset, string Severity, string Tone)
{
    /// <summary>The event as a label: <c>DeliveryRetrying (1010)</c>, the name or the number alone, or <see langword="null"/>.</summary>
    public string? Event => (Record.EventName, Record.EventId) switch
    {
        ({ } name, { } id) => $"{name} ({id.ToString(CultureInfo.InvariantCulture)})",
        ({ } name, null) => name,
        (null, { } id) => id.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The exception the record reports (OpenTelemetry's <c>exception.*</c> attributes), if any.</summary>
    public string? Exception => Record.Attribute("exception.type") is { } type
        ? type + (Record.Attribute("exception.message") is { } message ? ": " + message : string.Empty)
        : null;

    /// <summary>Labels a transaction's records, in the order given, against the time its timeline starts (if it has spans).</summary>
    public static IReadOnlyList<TransactionLogLine> Build(IReadOnlyList<CollectedLogRecord> records, DateTimeOffset? start)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.Select(r => new TransactionLogLine(r, start is { } t0 ? r.Time - t0 : null, SeverityOf(r), ToneOf(r.SeverityNumber)))];
    }

    // OTLP severity numbers come in blocks of four per level (TRACE 1-4 … FATAL 21-24); the sender's own text wins.
    private static string SeverityOf(CollectedLogRecord record) => record.SeverityText ?? ((record.SeverityNumber + 3) / 4) switch
    {
        1 => "Trace",
        2 => "Debug",
        3 => "Information",
        4 => "Warning",
        5 => "Error",
        6 => "Critical",
        _ => "—",
    };

    private static string ToneOf(int severityNumber) => severityNumber switch
    {
        >= 17 => "bad",
        >= 13 => "warn",
        >= 9 => "neutral",
        _ => "muted",
    };
}
