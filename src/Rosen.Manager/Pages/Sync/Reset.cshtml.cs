using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Rosen.Manager.Audit;
using Rosen.Manager.Operations;
using Rosen.Manager.Security;

namespace Rosen.Manager.Pages.Sync;

/// <summary>
/// The steps before a snapshot reset, for admins only: choose the origin, then confirm by typing the database's name.
/// The reset empties the database, so it never happens from one click or from a form that names something else.
/// </summary>
public sealed class ResetModel(SynchronizerDirectory synchronizers, TimeProvider timeProvider, IAuthorizationService authorization, AuditLog audit)
    : OperatorPageModel(authorization, audit)
{
    public const string AuditAction = "reset-from-snapshot";

    private const int MaxNameLength = 200;

    public string Synchronizer { get; private set; } = string.Empty;

    public string Database { get; private set; } = string.Empty;

    /// <summary>The chosen origin; <see langword="null"/> until the admin chose one (the first step).</summary>
    public string? From { get; private set; }

    /// <summary>The database's status, one per source lane.</summary>
    public IReadOnlyList<SyncTargetStatus> Lanes { get; private set; } = [];

    /// <summary>The other databases the synchronizer reports: origins it can copy when their rules match.</summary>
    public IReadOnlyList<string> Origins { get; private set; } = [];

    /// <summary>Gets the database's configured <c>SnapshotFrom</c> as the synchronizer reports it, or <see langword="null"/>.</summary>
    public string? ConfiguredOrigin { get; private set; }

    public string? Error { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public SyncSnapshotProgress? Loading => Lanes.Select(l => l.Snapshot).FirstOrDefault(s => s is not null);

    public async Task<IActionResult> OnGetAsync(string synchronizer, string database, string? from, CancellationToken cancellationToken)
    {
        if (!Valid(synchronizer) || !Valid(database) || (from is not null && !Valid(from)))
        {
            return BadRequest();
        }

        await LoadRoleAsync();
        if (!CanAdminister)
        {
            return Forbid();
        }

        (Synchronizer, Database, From, Now) = (synchronizer, database, from?.Trim(), timeProvider.GetUtcNow());
        var (targets, error) = await synchronizers.StatusAsync(synchronizer, cancellationToken);
        Lanes = [.. targets.Where(t => t.Database == database)];
        // The configured origin first: the form proposes it, and it may be a snapshot source no status names.
        ConfiguredOrigin = Lanes.Select(l => l.SnapshotFrom).FirstOrDefault(f => f is not null);
        Origins = [.. new[] { ConfiguredOrigin }.OfType<string>().Concat(targets.Select(t => t.Database).Where(d => d != database).Order(StringComparer.Ordinal)).Distinct()];
        Error = error ?? (Lanes.Count == 0 ? $"{synchronizer} writes no database named '{database}'." : null);
        return Page();
    }

    public Task<IActionResult> OnPostAsync(string synchronizer, string database, string from, string? confirm, string? reason, CancellationToken cancellationToken)
    {
        if (!Valid(synchronizer) || !Valid(database) || !Valid(from))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        from = from.Trim();
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim() is var r && r.Length > 500 ? r[..500] : reason.Trim();
        var confirmed = string.Equals(confirm?.Trim(), database, StringComparison.Ordinal);
        return ActAsync(
            RosenPolicies.Admin,
            AuditAction,
            $"{synchronizer}/{database} from {from}",
            reason,
            () => confirmed
                ? synchronizers.ResetFromSnapshotAsync(synchronizer, database, from, cancellationToken)
                : Task.FromResult(new OperatorResult(false, $"Nothing was reset: type the database name '{database}' to confirm.")),
            confirmed ? "/sync" : Url.Page("/Sync/Reset", new { synchronizer, database, from })!);
    }

    private static bool Valid(string? name) => !string.IsNullOrWhiteSpace(name) && name.Length <= MaxNameLength;
}
