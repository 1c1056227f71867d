using System.Text;
using Twist.Coordinator.Diagnostics;

namespace Twist.Coordinator.Events;

/// <summary>Writes a W3C <c>baggage</c> header value (https://www.w3.org/TR/baggage/) without depending on OpenTelemetry.</summary>
internal static class BaggageHeader
{
    // The W3C limits: a propagator may drop a header longer than this, so stay within it.
    private const int MaxLength = 8192;
    private const int MaxEntries = 180;

    /// <summary>The items as <c>key=value,…</c> (values percent-encoded), with <c>twist.transaction.id</c> added unless present.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, string?>>? items, string tid)
    {
        var header = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        void Add(string key, string value)
        {
            var entry = key + "=" + Uri.EscapeDataString(value);
            if (count < MaxEntries && IsToken(key) && seen.Add(key) && header.Length + entry.Length + 1 <= MaxLength)
            {
                header.Append(count++ == 0 ? string.Empty : ",").Append(entry);
            }
        }

        Add(TwistCoordinatorTelemetry.TransactionIdAttribute, tid);
        foreach (var (key, value) in items ?? [])
        {
            if (value is not null)
            {
                Add(key, value);
            }
        }

        return header.ToString();
    }

    /// <summary>An RFC 7230 token, what the baggage key must be.</summary>
    private static bool IsToken(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
