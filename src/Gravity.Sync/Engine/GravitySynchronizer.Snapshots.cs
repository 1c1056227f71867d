using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Gravity.Sync.Snapshots;

namespace Gravity.Sync.Engine;

/// <summary>Snapshots: filling new databases from others at start-up, and the operator reset.</summary>
internal sealed partial class GravitySynchronizer
{
    private SnapshotCoordinator? _snapshots;

    public Task<SnapshotResult> ResetFromSnapshotAsync(string database, string from, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentException.ThrowIfNullOrEmpty(from);
        var snapshots = _snapshots ?? throw new InvalidOperationException("The Gravity synchronizer has not started.");
        return snapshots.ResetAsync(database, from, cancellationToken);
    }

    /// <summary>Creates the databases' snapshot gates and checks every <c>SnapshotFrom</c>; returns the problems found.</summary>
    private IReadOnlyList<string> ConfigureSnapshots(GravityRuleSet ruleSet, IReadOnlyList<DatabaseTarget> targets)
    {
        _snapshots = new SnapshotCoordinator(
            ruleSet,
            targets,
            options.Value,
            snapshotSources,
            () => [.. Lanes.Select(l => l.Name)],
            timeProvider,
            loggerFactory.CreateLogger("Gravity.Sync.Snapshots"),
            instruments,
            _stop.Token);
        return _snapshots.Validate();
    }
}
