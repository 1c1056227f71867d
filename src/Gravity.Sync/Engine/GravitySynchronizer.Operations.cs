using Gravity.Sync.Diagnostics;
using Gravity.Sync.Operations;

namespace Gravity.Sync.Engine;

/// <summary>The operator API: status and parked keys.</summary>
internal sealed partial class GravitySynchronizer
{
    /// <remarks>
    /// Lists the lanes this instance reads now: with a shared source, the partitions other instances hold are in their
    /// status, and a partition handed over while this runs is left out.
    /// </remarks>
    public async Task<IReadOnlyList<TargetStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<TargetStatus>();
        foreach (var lane in Lanes)
        {
            long head;
            try
            {
                head = await lane.Source.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException && !Lanes.Contains(lane))
            {
                continue; // handed over meanwhile
            }

            result.AddRange(lane.Pipelines.Select(p => new TargetStatus(p.Database, p.Position, head, p.ParkedKeys, p.Running)
            {
                Source = lane.Name,
                Snapshot = p.Context.Snapshots?.Progress,
                LastSnapshot = p.Context.Snapshots?.LastLoaded,
                SnapshotFrom = p.Context.Snapshots?.SnapshotFrom,
            }));
        }

        return result;
    }

    public Task<IReadOnlyList<RuleStatus>> GetRuleStatusAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<RuleStatus> result = [.. _databases.SelectMany(d => d.Mapper.Rules).Select(r => new RuleStatus(
            r.Rule.Event, r.Rule.Database, r.Rule.Table, r.Rule.Method.ToString(), r.RowsApplied, r.RowsParked)
        {
            Origin = r.Rule.Origin.ToString(),
            LastAppliedAt = r.LastAppliedAt,
            Since = _startedAt,
        })];
        return Task.FromResult(result);
    }

    public async Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string? database = null, CancellationToken cancellationToken = default)
    {
        var result = new List<ParkedEvent>();
        foreach (var pipeline in Lanes.SelectMany(l => l.Pipelines).Where(p => database is null || p.Database == database))
        {
            var entries = await pipeline.Context.Writer.ReadParkedAsync(pipeline.Context.Source, null, null, cancellationToken).ConfigureAwait(false);
            result.AddRange(entries.Select(e => new ParkedEvent
            {
                ParkedKey = new ParkedKey(pipeline.Database, e.Table, e.Key),
                Position = e.Position,
                EventId = e.EventId,
                EventName = e.EventName,
                Payload = Describe(e.Payload),
                Reason = e.Reason,
                ParkedAt = e.ParkedAt,
                Attempts = e.Attempts,
            }));
        }

        return result;
    }

    public async Task<ReplayResult> ReplayAsync(ParkedKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Key is null)
        {
            throw new ArgumentException("Dead letters have no key, so there is no order to replay them in; fix the publisher, re-publish the events and discard the dead letters.", nameof(key));
        }

        // A key's parked entries live under the source partition that delivered them; each pipeline replays its own.
        var result = new ReplayResult(0, 0, null);
        foreach (var pipeline in Pipelines(key))
        {
            var part = await pipeline.RunInPartitionAsync(key.Table, key.Key, (worker, token) => worker.ReplayAsync(key.Table, key.Key, token), cancellationToken).ConfigureAwait(false);
            result = new ReplayResult(result.Applied + part.Applied, result.StillParked + part.StillParked, result.Error ?? part.Error);
        }

        _logger.OperatorAction("replay", key.Database, key.Table, key.Key, result.Succeeded ? $"applied {result.Applied}, key unparked" : $"applied {result.Applied}, {result.StillParked} still parked: {result.Error}");
        return result;
    }

    public async Task<int> DiscardAsync(ParkedKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var count = 0;
        foreach (var pipeline in Pipelines(key))
        {
            count += await pipeline.RunInPartitionAsync(key.Table, key.Key, (worker, token) => worker.DiscardAsync(key.Table, key.Key, token), cancellationToken).ConfigureAwait(false);
        }

        _logger.OperatorAction("discard", key.Database, key.Table, key.Key, $"dropped {count} entries");
        return count;
    }

    /// <summary>The database's pipelines in every lane this instance reads (a parked key lives under the lane that delivered it).</summary>
    private List<TargetPipeline> Pipelines(ParkedKey key) =>
        _databases.Any(d => d.Name == key.Database)
            ? PipelinesOf(key.Database)
            : throw new ArgumentException($"Database \"{key.Database}\" is not one the synchronizer writes to (it writes {string.Join(", ", _databases.Select(d => d.Name))}).", nameof(key));
}
