using System.Runtime.CompilerServices;
using Gravity.Sync.EventLog;
using Gravity.Sync.Snapshots;
using Gravity.Sync.Targets;

namespace Rosen.Manager.Tests.Infrastructure;

/// <summary>
/// A snapshot source whose loads wait until the test releases them, so a load stays in progress long enough to be
/// seen on the Sync page. Its snapshot is one user, at the log's head when released.
/// </summary>
public sealed class HeldSnapshotSource(IGravityEventLog log) : IGravitySnapshotSource
{
    public const string SourceName = "held-source";

    public const string User = "7|held@example.com|Held";

    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => SourceName;

    public void Release() => released.TrySetResult();

    public async Task<IGravitySnapshot> OpenAsync(GravitySnapshotRequest request, CancellationToken cancellationToken)
    {
        await released.Task.WaitAsync(cancellationToken);
        return new Snapshot(new Dictionary<string, long> { [log.Name] = await log.GetHeadPositionAsync(cancellationToken) });
    }

    private sealed class Snapshot(IReadOnlyDictionary<string, long> positions) : IGravitySnapshot
    {
        public IReadOnlyDictionary<string, long> Positions => positions;

        public async IAsyncEnumerable<GravitySnapshotRow> ReadRowsAsync(TableSchema table, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            var values = User.Split('|');
            yield return new GravitySnapshotRow(new Dictionary<string, object?> { ["id"] = long.Parse(values[0], System.Globalization.CultureInfo.InvariantCulture), ["email"] = values[1], ["name"] = values[2] });
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
