using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Twist.Bench;

/// <summary>
/// With <c>--allocations</c>: the runtime's allocation sampling (one GCAllocationTick event per ~100 KB allocated, naming
/// the type that crossed the mark) aggregated by type, so a scenario's allocation budget can be read without a profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> bytesByType = new(StringComparer.Ordinal);

    public void Reset() => bytesByType.Clear();

    /// <summary>The types behind most sampled bytes, as a share of all sampled bytes.</summary>
    public IEnumerable<string> Top(int count)
    {
        var total = (double)bytesByType.Values.Sum();
        return bytesByType.OrderByDescending(kv => kv.Value).Take(count)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value / total,6:P1}  {kv.Key}"));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames?.IndexOf("TypeName") is int t and >= 0 ? eventData.Payload[t] as string : null;
        var amount = eventData.PayloadNames?.IndexOf("AllocationAmount64") is int a and >= 0 ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture) : 0;
        bytesByType.AddOrUpdate(type ?? "?", amount, (_, sum) => sum + amount);
    }
}
