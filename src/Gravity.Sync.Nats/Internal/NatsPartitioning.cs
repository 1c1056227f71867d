using System.Text;
using Gravity.Sync.Internal;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// Where a partitioned stream's events go: subject <c>&lt;prefix&gt;.&lt;p&gt;.&lt;event&gt;</c> with p the 32-bit FNV-1a
/// hash of the key's UTF-8 bytes modulo the partition count. Simple enough for any publisher to reproduce.
/// </summary>
internal static class NatsPartitioning
{
    public static int PartitionOf(string key, int partitions)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)partitions);
    }

    /// <summary>The partition's subjects prefix: <c>&lt;prefix&gt;.&lt;p&gt;</c>.</summary>
    public static string Prefix(string subjectPrefix, int partition) => subjectPrefix + "." + partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key an event is partitioned by: its own, else the payload's key field, else its id (unordered).</summary>
    public static string KeyOf(Gravity.Sync.Events.GravityEventData e, string? keyField) => e.Key ?? PayloadKeyField.Read(e.Payload, keyField) ?? e.Id;
}
