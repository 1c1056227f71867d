using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Operations;

/// <summary>The snapshot reset: one synchronizer's status for the confirmation page, and the reset itself.</summary>
public sealed partial class SynchronizerDirectory
{
    /// <summary>Reads one synchronizer's status per database, or says why it could not.</summary>
    public async Task<(IReadOnlyList<SyncTargetStatus> Targets, string? Error)> StatusAsync(string name, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } synchronizer)
        {
            return ([], NotConfigured(name).Message);
        }

        try
        {
            return (await GetAsync<List<SyncTargetStatus>>(synchronizer, "status", cancellationToken).ConfigureAwait(false) ?? [], null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ManagerLog.OperatorApiFailed(logger, name, ex.Message);
            return ([], $"{name} did not answer ({ex.Message}).");
        }
    }

    /// <summary>
    /// Asks the synchronizer to empty <paramref name="database"/> and fill it from a snapshot of <paramref name="from"/>.
    /// The synchronizer checks the names and answers at once; the load runs on in the background and the status shows it.
    /// </summary>
    public async Task<OperatorResult> ResetFromSnapshotAsync(string name, string database, string from, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } synchronizer)
        {
            return NotConfigured(name);
        }

        var (targets, error) = await StatusAsync(name, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return new OperatorResult(false, error + " Nothing was reset.");
        }

        if (!targets.Any(t => t.Database == database))
        {
            return new OperatorResult(false, $"{name} writes no database named '{database}' (it writes {string.Join(", ", targets.Select(t => t.Database).Distinct())}). Nothing was reset.");
        }

        // The synchronizer would queue a second load from the same origin behind the one shown, and it finishes (or, after
        // a failure, retries) that one by itself; another origin is allowed, since it is how a failed load is replaced.
        if (targets.FirstOrDefault(t => t.Database == database && t.Snapshot is not null)?.Snapshot is { } loading && loading.From == from)
        {
            return new OperatorResult(false, $"{database} is already being loaded from {from} (started {loading.StartedAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC, {loading.RowsLoaded.ToString("N0", CultureInfo.InvariantCulture)} rows so far); {name} finishes that load by itself. Nothing was reset.");
        }

        try
        {
            using var content = JsonContent.Create(new SyncSnapshotRequest { Database = database, From = from }, options: CoordinatorDirectory.Json);
            using var response = await SendAsync(synchronizer, HttpMethod.Post, "snapshot", content, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? new OperatorResult(true, $"{database} is being emptied and filled again from a snapshot of {from}; its tables are incomplete until the Sync page shows the load done.")
                : new OperatorResult(false, await CoordinatorDirectory.DescribeAsync(name, response, cancellationToken).ConfigureAwait(false) + " Nothing was reset.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ManagerLog.OperatorApiFailed(logger, name, ex.Message);
            return new OperatorResult(false, $"{name} did not answer ({ex.Message}); the reset may or may not have started, so look at the Sync page before trying again.");
        }
    }
}
