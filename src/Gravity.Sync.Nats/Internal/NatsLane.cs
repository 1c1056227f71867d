using System.Globalization;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// What one ordered source reads of the stream: all of it (not partitioned), or one partition's subjects with its
/// own durable consumer. The name is where the databases keep checkpoints, so it never changes for a partition.
/// </summary>
/// <param name="Name">The source name: <c>nats:&lt;stream&gt;</c> or <c>nats:&lt;stream&gt;/&lt;p&gt;</c>.</param>
/// <param name="SubjectPrefix">The prefix event names follow in subjects.</param>
/// <param name="FilterSubject">The subjects read, or <see langword="null"/> for the whole stream.</param>
/// <param name="DurableName">The durable consumer acknowledged with what every database committed.</param>
internal sealed record NatsLane(string Name, string SubjectPrefix, string? FilterSubject, string DurableName)
{
    public static NatsLane WholeStream(GravityNatsOptions options) =>
        new("nats:" + options.StreamName, options.SubjectPrefix, null, options.ConsumerName);

    public static NatsLane Partition(GravityNatsOptions options, int partition)
    {
        var prefix = NatsPartitioning.Prefix(options.SubjectPrefix, partition);
        return new(
            string.Create(CultureInfo.InvariantCulture, $"nats:{options.StreamName}/{partition}"),
            prefix,
            prefix + ".>",
            string.Create(CultureInfo.InvariantCulture, $"{options.ConsumerName}-{partition}"));
    }
}
