using System.Globalization;
using Rosen.Manager.Transactions;

namespace Rosen.Manager.Pages;

/// <summary>How times, durations and states are written on the pages.</summary>
public static class Display
{
    public static string Time(DateTimeOffset? time) => time is null ? "—" : time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>The time of day with milliseconds, for rows of one transaction (the date is in the title).</summary>
    public static string Clock(DateTimeOffset? time) => time is null ? "—" : time.Value.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Ago(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is null)
        {
            return "never";
        }

        var age = now - time.Value;
        return age.TotalSeconds switch
        {
            < 0 => "just now",
            < 60 => $"{(int)age.TotalSeconds} s ago",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86400 => $"{(int)age.TotalHours} h ago",
            _ => $"{(int)age.TotalDays} d ago",
        };
    }

    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1 => $"{duration.TotalMicroseconds.ToString("0", CultureInfo.InvariantCulture)} µs",
        < 1000 => $"{duration.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms",
        < 60_000 => $"{duration.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s",
        < 3_600_000 => duration.Seconds == 0 ? $"{(int)duration.TotalMinutes} min" : $"{(int)duration.TotalMinutes} min {duration.Seconds} s",
        _ => duration.Minutes == 0 ? $"{(int)duration.TotalHours} h" : $"{(int)duration.TotalHours} h {duration.Minutes} min",
    };

    /// <summary>A time relative to a start: <c>+12 ms</c>, or <c>−3 ms</c> for something logged before the first span began.</summary>
    public static string Offset(TimeSpan offset) => offset < TimeSpan.Zero ? "−" + Duration(offset.Negate()) : "+" + Duration(offset);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The CSS tone of a transaction or participant status.</summary>
    public static string StatusTone(string? status) => status?.ToUpperInvariant() switch
    {
        "CONFIRMED" or "OK" or "DONE" or "HEALTHY" => "good",
        "CANCELLED" => "muted",
        "CONFIRMING" or "CANCELLING" or "ACTIVE" or "REGISTERED" or "TRANSIENT" or "STALE" => "warn",
        "FAILED" or "PARKED" or "HEURISTIC" or "UNHEALTHY" or "PERMANENT" or "ERROR" => "bad",
        _ => "neutral",
    };

    public static string PhaseName(TimelinePhase phase) => phase switch
    {
        TimelinePhase.ReadModel => "read model",
        _ => phase.ToString().ToLowerInvariant(),
    };

    public static string Shorten(string? value, int length = 12) =>
        value is null ? string.Empty : value.Length <= length ? value : value[..length] + "…";
}
