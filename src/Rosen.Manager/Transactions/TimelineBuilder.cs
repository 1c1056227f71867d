using System.Globalization;
using Rosen.Collector.Storage;

namespace Rosen.Manager.Transactions;

/// <summary>
/// Turns a transaction's spans into a timeline people can read: begin, each Try, the decision, every Confirm/Cancel
/// attempt (with its number, outcome and error), and the read-model updates that followed. Span names and attributes
/// are the ones Twist and Gravity emit (twist.*, gravity.*); anything else is shown as a call or an operation.
/// </summary>
public static class TimelineBuilder
{
    public static TransactionTimeline Build(string transactionId, IReadOnlyList<CollectedSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return new TransactionTimeline(transactionId, [], [], null, TimeSpan.Zero, null);
        }

        var ordered = spans.OrderBy(s => s.StartUnixNano).ThenBy(s => s.EndUnixNano).ToList();
        var t0 = ordered[0].StartUnixNano;
        var total = Math.Max(1_000, ordered.Max(s => s.EndUnixNano) - t0);
        var entries = ordered.Select(span =>
        {
            var entry = Describe(span);
            var offset = span.StartUnixNano - t0;
            return entry with
            {
                Offset = TimeSpan.FromTicks(offset / 100),
                OffsetPercent = Math.Clamp(offset * 100.0 / total, 0, 99.6),
                WidthPercent = Math.Clamp(Math.Max(0, span.EndUnixNano - span.StartUnixNano) * 100.0 / total, 0.4, 100 - Math.Clamp(offset * 100.0 / total, 0, 99.6)),
            };
        }).ToList();

        var participants = entries
            .Where(e => e.Phase is TimelinePhase.Confirm or TimelinePhase.Cancel && e.Attempt is not null && e.Participant is not null)
            .GroupBy(e => e.Participant!)
            .Select(g =>
            {
                var last = g.Last();
                return new ParticipantDeliveries(
                    g.Key,
                    last.Span.Attribute("server.address"),
                    g.Count(e => e.Phase == TimelinePhase.Confirm),
                    g.Count(e => e.Phase == TimelinePhase.Cancel),
                    last.Outcome,
                    g.LastOrDefault(e => e.Error is not null)?.Error);
            })
            .ToList();
        var status = ordered.Where(s => s.Attribute("twist.transaction.status") is not null || s.Attribute("twist.decision") is not null)
            .OrderBy(s => s.EndUnixNano).Select(s => s.Attribute("twist.transaction.status") ?? s.Attribute("twist.decision")).LastOrDefault();
        return new TransactionTimeline(transactionId, entries, participants, ordered[0].Start, TimeSpan.FromTicks(total / 100), status);
    }

    private static TimelineEntry Describe(CollectedSpan span)
    {
        var name = span.Name;
        var error = span.Status == CollectedSpanStatus.Error ? span.StatusMessage ?? "failed" : null;
        if (name == "twist.begin")
        {
            return new TimelineEntry(span, TimelinePhase.Begin, span.ScopeName == "Twist.Client" ? "Caller began the transaction" : "Transaction begun", null, null, null, error);
        }

        if (name == "twist.register")
        {
            return new TimelineEntry(span, TimelinePhase.Try, "Participant links registered", null, null, null, error);
        }

        if (name is "twist.confirm" or "twist.cancel")
        {
            var verb = name == "twist.confirm" ? "confirm" : "cancel";
            if (span.Attribute("twist.decision") is { } decision)
            {
                return new TimelineEntry(span, TimelinePhase.Decision, $"Decision: {decision}", null, null, decision, error);
            }

            var status = span.Attribute("twist.transaction.status");
            return new TimelineEntry(span, TimelinePhase.Decision, $"Caller asked to {verb}" + (status is null ? string.Empty : $" → {status}"), null, null, status, error);
        }

        // A drive outside the begin's trace (after a restart or takeover, the timeout sweep, an operator's retry).
        if (name is "twist.drive confirm" or "twist.drive cancel")
        {
            var verb = name == "twist.drive confirm" ? "Confirm" : "Cancel";
            var why = span.Attribute("twist.drive.recovered") is "true" or "True" ? " after a coordinator restart or takeover" : string.Empty;
            return new TimelineEntry(span, verb == "Confirm" ? TimelinePhase.Confirm : TimelinePhase.Cancel, $"{verb} resumed{why} (a trace of its own, linked to the begin)", null, null, null, error);
        }

        // The coordinator's delivery of a decision: "twist.participant confirm" / "twist.participant cancel".
        if (name.StartsWith("twist.participant ", StringComparison.Ordinal))
        {
            var phase = name["twist.participant ".Length..];
            var participant = span.Attribute("twist.participant.id") ?? "?";
            var attempt = int.TryParse(span.Attribute("twist.attempt"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            var outcome = span.Attribute("twist.delivery.outcome");
            var status = span.Attribute("http.response.status_code") is { } http ? "HTTP " + http
                : span.Attribute("rpc.grpc.status_code") is { } grpc ? "gRPC " + grpc : null;
            var address = span.Attribute("server.address");
            var label = $"{Capitalize(phase)} attempt {attempt?.ToString(CultureInfo.InvariantCulture) ?? "?"} → participant {participant}"
                + (address is null ? string.Empty : $" ({address})")
                + (status is null ? string.Empty : ": " + status);
            return new TimelineEntry(span, phase == "cancel" ? TimelinePhase.Cancel : TimelinePhase.Confirm, label, participant, attempt, outcome, error);
        }

        // The participant's own handler: "twist.participant.try" / ".confirm" / ".cancel".
        if (name.StartsWith("twist.participant.", StringComparison.Ordinal))
        {
            var phase = name["twist.participant.".Length..];
            var participant = span.Attribute("twist.participant.name") ?? span.ServiceName;
            var outcome = span.Attribute("twist.guard.outcome");
            var kind = phase switch
            {
                "try" => TimelinePhase.Try,
                "confirm" => TimelinePhase.Confirm,
                "cancel" => TimelinePhase.Cancel,
                _ => TimelinePhase.Other,
            };
            return new TimelineEntry(span, kind, $"{Capitalize(phase)} ran in {participant}" + (outcome is null ? string.Empty : $" ({outcome})"), participant, null, outcome, error);
        }

        if (name == "gravity.sync.apply")
        {
            var database = span.Attribute("gravity.database") ?? "?";
            var count = span.Attribute("messaging.batch.message_count");
            return new TimelineEntry(span, TimelinePhase.ReadModel, $"Read model '{database}' updated" + (count is null ? string.Empty : $" ({count} events)"), null, null, null, error);
        }

        return span.Kind switch
        {
            CollectedSpanKind.Server or CollectedSpanKind.Client => new TimelineEntry(span, TimelinePhase.Call, name, null, null, span.Attribute("http.response.status_code"), error),
            CollectedSpanKind.Producer or CollectedSpanKind.Consumer => new TimelineEntry(span, TimelinePhase.Other, name, null, null, null, error),
            _ => new TimelineEntry(span, TimelinePhase.Other, name, null, null, null, error),
        };
    }

    private static string Capitalize(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];
}
