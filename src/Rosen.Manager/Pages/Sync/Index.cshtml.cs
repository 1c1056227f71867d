using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Rosen.Collector.Storage;
using Rosen.Manager.Audit;
using Rosen.Manager.Configuration;
using Rosen.Manager.Operations;

namespace Rosen.Manager.Pages.Sync;

public sealed class IndexModel(
    ISpanStore store,
    SynchronizerDirectory synchronizers,
    IOptions<RosenManagerOptions> options,
    TimeProvider timeProvider,
    IAuthorizationService authorization,
    AuditLog audit) : OperatorPageModel(authorization, audit)
{
    public IReadOnlyList<SynchronizerReport> Reports { get; private set; } = [];

    public IReadOnlyList<SyncActivity> Activity { get; private set; } = [];

    public TimeSpan Window => options.Value.TopologyWindow;

    public DateTimeOffset Now { get; private set; }

    public bool Configured => synchronizers.IsConfigured;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = timeProvider.GetUtcNow();
        await LoadRoleAsync();
        Activity = await store.GetSyncActivityAsync(Now - Window, cancellationToken);
        Reports = await synchronizers.ReportAsync(cancellationToken);
    }

    public double EventsPerMinute(SyncActivity activity) => activity.Events / Math.Max(1, Window.TotalMinutes);

    public Task<IActionResult> OnPostReplayAsync(string synchronizer, string database, string table, string key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(synchronizer) || string.IsNullOrEmpty(database) || string.IsNullOrEmpty(table) || string.IsNullOrEmpty(key) || key.Length > 2000)
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        return ActAsync("replay-parked-key", $"{synchronizer}/{database}/{table}/{key}", null, () => synchronizers.ReplayAsync(synchronizer, database, table, key, cancellationToken), "/sync");
    }
}
