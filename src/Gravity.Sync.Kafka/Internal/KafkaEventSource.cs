using Confluent.Kafka;
using Gravity.Sync.Events;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// A Kafka topic as the synchronizer's source, shared by every synchronizer instance of the consumer group. A group
/// member (subscribed, so the group's coordinator assigns it partitions) only takes part in rebalances and commits
/// offsets; each assigned partition is read as its own ordered source (<see cref="KafkaPartitionSource"/>) whose
/// position is the offset + 1, so every database keeps checkpoints per partition whichever instance reads it.
/// </summary>
/// <remarks>
/// Rebalance callbacks run on the member's poll thread and block it until the synchronizer is done: a revoked
/// partition's pipelines commit what they hold and its offset is committed before the member acknowledges the
/// rebalance, so the next owner starts only after this one stopped. The member pauses its partitions and discards what
/// it consumes: reading happens through the partition sources, each database from its own checkpoint.
/// </remarks>
internal sealed class KafkaEventSource(KafkaClients clients, KafkaInstruments instruments, ILoggerFactory loggerFactory) : IDynamicPartitionSource, IDisposable
{
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(15);

    private readonly ILogger _logger = loggerFactory.CreateLogger<KafkaEventSource>();
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, KafkaPartitionSource> _owned = [];
    private readonly CancellationTokenSource _leave = new();
    private readonly CancellationTokenSource _abandon = new();
    private IPartitionAssignmentHandler? _handler;
    private IConsumer<Ignore, Ignore>? _member;
    private KafkaCommitter? _committer;
    private Task _polling = Task.CompletedTask;
    private volatile bool _pauseAssigned;
    private int _disposed;

    public string Name => "kafka:" + clients.Options.Topic;

    public async Task StartAsync(IPartitionAssignmentHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var options = clients.Options;
        var partitions = await Task.Run(
            () =>
            {
                // All topics: asking for one by name lets a broker with auto.create.topics.enable create it, and a
                // topic created by accident (with the broker's default partition count) would hide a typo.
                using var admin = new AdminClientBuilder(clients.AdminConfig()).Build();
                var metadata = admin.GetMetadata(options.MetadataTimeout);
                var topic = metadata.Topics.FirstOrDefault(t => t.Topic == options.Topic);
                return topic is null || topic.Error.IsError || topic.Partitions.Count == 0
                    ? throw new InvalidOperationException($"Kafka topic \"{options.Topic}\" is not available on {options.BootstrapServers} ({topic?.Error.Reason ?? "not in the metadata"}); create it (its partition count bounds how many synchronizer instances share the work) or fix {GravityKafkaOptions.SectionName}:Topic.")
                    : topic.Partitions.Count;
            },
            cancellationToken).ConfigureAwait(false);

        _handler = handler;
        var member = new ConsumerBuilder<Ignore, Ignore>(clients.GroupMemberConfig())
            .SetErrorHandler((_, error) => _logger.ClientError(options.Topic, error.Reason))
            .SetPartitionsAssignedHandler((_, assigned) => OnAssigned(assigned))
            .SetPartitionsRevokedHandler((_, revoked) => OnRevoked([.. revoked.Select(p => p.TopicPartition)], lost: false))
            .SetPartitionsLostHandler((_, lost) => OnRevoked([.. lost.Select(p => p.TopicPartition)], lost: true))
            .Build();
        _member = member;
        _committer = new KafkaCommitter(member, Owns);
        member.Subscribe(options.Topic);
        _polling = Task.Factory.StartNew(() => Poll(member), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _logger.GroupJoined(options.ToString(), partitions);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _leave.CancelAsync().ConfigureAwait(false);

        // A caller that gives up (host shutdown timeout) turns the hand-over into a drop: batches roll back.
        await using var abandon = cancellationToken.Register(() => _abandon.Cancel());
        await _polling.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _leave.Cancel();
        _abandon.Cancel();

        // The native handle must outlive the poll thread's last call; a thread still stuck after the wait keeps it.
        if (_polling.Wait(DisposeWait))
        {
            _member?.Dispose();
        }

        lock (_gate)
        {
            foreach (var partition in _owned.Values)
            {
                partition.Dispose();
            }

            _owned.Clear();
        }
    }

    private bool Owns(TopicPartition partition)
    {
        lock (_gate)
        {
            return _owned.ContainsKey(partition);
        }
    }

    /// <summary>Serves the group: heartbeats and rebalance callbacks run here. Leaving closes the member, which revokes everything.</summary>
    private void Poll(IConsumer<Ignore, Ignore> member)
    {
        while (!_leave.IsCancellationRequested)
        {
            try
            {
                member.Consume(TimeSpan.FromMilliseconds(100)); // messages are read through the partition sources; these are dropped
                if (_pauseAssigned)
                {
                    _pauseAssigned = false;
                    member.Pause(member.Assignment);
                }
            }
            catch (KafkaException ex)
            {
                _logger.ClientError(clients.Options.Topic, ex.Error.Reason);
            }
        }

        try
        {
            member.Close(); // revokes every partition through OnRevoked (an orderly hand-over), then leaves the group
        }
        catch (KafkaException ex)
        {
            _logger.ClientError(clients.Options.Topic, ex.Error.Reason);
        }

        _logger.GroupLeft(clients.Options.Topic);
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> assigned)
    {
        var sources = new List<IEventSource>(assigned.Count);
        lock (_gate)
        {
            foreach (var partition in assigned)
            {
                if (!_owned.TryGetValue(partition, out var source))
                {
                    _owned[partition] = source = new KafkaPartitionSource(clients, partition, _committer!, instruments, _logger);
                }

                sources.Add(source);
            }
        }

        _logger.PartitionsAssigned(clients.Options.Topic, string.Join(",", assigned.Select(p => p.Partition.Value)));
        Run(_handler!.AssignAsync(sources, _abandon.Token));
        _pauseAssigned = true;

        // Start the member at the end: it reads nothing itself, and it pauses the partitions on its next poll.
        return assigned.Select(p => new TopicPartitionOffset(p, Offset.End));
    }

    private void OnRevoked(List<TopicPartition> revoked, bool lost)
    {
        List<KafkaPartitionSource> sources;
        lock (_gate)
        {
            sources = [.. revoked.Select(p => _owned.GetValueOrDefault(p)).OfType<KafkaPartitionSource>()];
            if (lost)
            {
                // Another member may own them already: commit nothing more for them.
                foreach (var partition in revoked)
                {
                    _owned.Remove(partition);
                }
            }
        }

        _logger.PartitionsRevoked(clients.Options.Topic, string.Join(",", revoked.Select(p => p.Partition.Value)), lost);

        // Blocks the poll thread until the pipelines committed and the final offsets are committed: only then may the
        // group hand the partitions to another member.
        Run(_handler!.RevokeAsync([.. sources.Select(s => s.Name)], lost, _abandon.Token));
        lock (_gate)
        {
            foreach (var partition in revoked)
            {
                _owned.Remove(partition);
            }
        }

        foreach (var source in sources)
        {
            source.Dispose();
        }
    }

    private void Run(Task task)
    {
        try
        {
            // The poll thread is dedicated to the group and rebalance callbacks are synchronous: waiting here is the point.
            task.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            _logger.RebalanceFailed(ex, clients.Options.Topic);
        }
    }
}
