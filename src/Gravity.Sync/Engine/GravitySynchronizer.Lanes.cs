using Gravity.Sync.Diagnostics;
using Gravity.Sync.Events;

namespace Gravity.Sync.Engine;

/// <summary>
/// The lanes this instance reads, and the hand-over of partitions a shared source assigns and revokes at run time.
/// </summary>
internal sealed partial class GravitySynchronizer
{
    private readonly Lock _lanesLock = new();
    private readonly SemaphoreSlim _assignmentGate = new(1, 1);
    private SourceLane[] _lanes = [];
    private volatile bool _stopping;

    /// <summary>Gets the lanes read now (a snapshot: lanes of a shared source come and go).</summary>
    private SourceLane[] Lanes => Volatile.Read(ref _lanes);

    public async Task AssignAsync(IReadOnlyList<IEventSource> partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        await _assignmentGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopping)
            {
                return; // leaving: the source revokes them next, which is then a no-op
            }

            var added = new List<string>();
            foreach (var partition in partitions)
            {
                if (Lanes.Any(l => l.Name == partition.Name))
                {
                    continue;
                }

                AddLane(partition);
                added.Add(partition.Name);
            }

            if (added.Count > 0)
            {
                _logger.PartitionsAssigned(string.Join(", ", added), Lanes.Length);
            }
        }
        finally
        {
            _assignmentGate.Release();
        }
    }

    public async Task RevokeAsync(IReadOnlyList<string> partitions, bool lost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var started = timeProvider.GetTimestamp();
        await _assignmentGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var removed = RemoveLanes(partitions);
            if (removed.Count == 0)
            {
                return;
            }

            var names = string.Join(", ", removed.Select(l => l.Name));
            if (lost)
            {
                // Another instance may already write these partitions: acknowledge nothing, drop what is in flight.
                await ReleaseAsync(removed, acknowledge: false, CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(removed.Select(l => l.AbortAsync())).ConfigureAwait(false);
                Dispose(removed);
                _logger.PartitionsLost(names);
                return;
            }

            var timeout = options.Value.HandOverTimeout;
            var drained = await Task.WhenAll(removed.Select(l => l.StopAsync(timeout, timeProvider, cancellationToken))).ConfigureAwait(false);
            if (drained.Any(d => !d))
            {
                _logger.HandOverTimedOut(string.Join(", ", removed.Where((_, i) => !drained[i]).Select(l => l.Name)), timeout);
            }

            await ReleaseAsync(removed, acknowledge: true, cancellationToken).WaitAsync(FinalAcknowledgeTimeout, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Dispose(removed);
            _logger.PartitionsHandedOver(names, timeProvider.GetElapsedTime(started));
        }
        finally
        {
            _assignmentGate.Release();
        }
    }

    /// <summary>Gets a database's pipelines in every lane this instance reads now.</summary>
    private List<TargetPipeline> PipelinesOf(string database) => [.. Lanes.SelectMany(l => l.Pipelines).Where(p => p.Database == database)];

    private void AddLane(IEventSource source)
    {
        var exports = _exports ?? throw new InvalidOperationException("The synchronizer has not started.");
        var o = options.Value;
        var pipelines = _databases.Select(target => new TargetPipeline(
            new TargetContext
            {
                Database = target.Name,
                Source = source.Name,
                Writer = target.Writer,
                Mapper = target.Mapper,
                Tables = target.Tables,
                Partitions = target.Partitions,
                Options = o,
                Clock = timeProvider,
                Logger = _pipelineLogger,
                Instruments = instruments,
                Exports = exports,
                Snapshots = _snapshots?.GateFor(target.Name),
            },
            source)).ToArray();
        var lane = new SourceLane(source, pipelines);
        lock (_lanesLock)
        {
            Volatile.Write(ref _lanes, [.. _lanes, lane]);
        }

        lane.Start(instruments);
    }

    private List<SourceLane> RemoveLanes(IReadOnlyList<string> names)
    {
        lock (_lanesLock)
        {
            var removed = _lanes.Where(l => names.Contains(l.Name, StringComparer.Ordinal)).ToList();
            Volatile.Write(ref _lanes, [.. _lanes.Except(removed)]);
            return removed;
        }
    }

    private List<SourceLane> TakeAllLanes()
    {
        _stopping = true;
        lock (_lanesLock)
        {
            var all = _lanes.ToList();
            Volatile.Write(ref _lanes, []);
            return all;
        }
    }

    /// <summary>Gives lanes their final acknowledgement (when asked) and marks them released, so the periodic one skips them.</summary>
    private async Task ReleaseAsync(IReadOnlyList<SourceLane> lanes, bool acknowledge, CancellationToken cancellationToken)
    {
        await _acknowledgeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var lane in lanes)
            {
                if (acknowledge)
                {
                    await AcknowledgeAsync(lane, cancellationToken).ConfigureAwait(false);
                }

                lane.Released = true;
            }
        }
        finally
        {
            _acknowledgeGate.Release();
        }
    }

    private static void Dispose(IEnumerable<SourceLane> lanes)
    {
        foreach (var lane in lanes)
        {
            lane.Dispose();
        }
    }
}
