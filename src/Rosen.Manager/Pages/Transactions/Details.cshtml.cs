using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Rosen.Collector.Storage;
using Rosen.Manager.Audit;
using Rosen.Manager.Operations;
using Rosen.Manager.Transactions;

namespace Rosen.Manager.Pages.Transactions;

public sealed class DetailsModel(ISpanStore store, CoordinatorDirectory coordinators, TimeProvider timeProvider, IAuthorizationService authorization, AuditLog audit)
    : OperatorPageModel(authorization, audit)
{
    public string Tid { get; private set; } = string.Empty;

    /// <summary>The most log records the page shows; a transaction with more shows its newest.</summary>
    public const int LogLimit = 500;

    public TransactionTimeline Timeline { get; private set; } = TimelineBuilder.Build(string.Empty, []);

    public IReadOnlyList<TransactionLogLine> Logs { get; private set; } = [];

    public CoordinatorView? Coordinator { get; private set; }

    public string? CoordinatorError { get; private set; }

    public bool CoordinatorsConfigured => coordinators.IsConfigured;

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(string tid, CancellationToken cancellationToken)
    {
        if (!ValidTid(tid))
        {
            return NotFound();
        }

        Tid = tid;
        Now = timeProvider.GetUtcNow();
        await LoadRoleAsync();
        Timeline = TimelineBuilder.Build(tid, await store.GetTransactionSpansAsync(tid, cancellationToken: cancellationToken));
        Logs = TransactionLogLine.Build(await store.GetTransactionLogsAsync(tid, LogLimit, cancellationToken), Timeline.Start);
        if (coordinators.IsConfigured)
        {
            (Coordinator, CoordinatorError) = await coordinators.FindAsync(tid, cancellationToken);
        }

        return Page();
    }

    public Task<IActionResult> OnPostRetryAsync(string tid, [Required] string coordinator, int participantId, string? reason, CancellationToken cancellationToken)
    {
        if (!ValidTid(tid) || participantId < 1 || string.IsNullOrEmpty(coordinator))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        reason = Clip(reason);
        return ActAsync("retry-participant", $"{tid} participant {participantId}", reason, () => coordinators.RetryAsync(coordinator, tid, participantId, reason, cancellationToken), Self(tid));
    }

    public Task<IActionResult> OnPostResolveAsync(string tid, [Required] string coordinator, int participantId, string? reason, CancellationToken cancellationToken)
    {
        if (!ValidTid(tid) || participantId < 1 || string.IsNullOrEmpty(coordinator))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        reason = Clip(reason);
        if (string.IsNullOrWhiteSpace(reason))
        {
            TempData["Flash"] = "Say how the participant was settled; the reason goes to both audit logs.";
            TempData["FlashTone"] = "bad";
            return Task.FromResult<IActionResult>(LocalRedirect(Self(tid)));
        }

        return ActAsync("resolve-participant", $"{tid} participant {participantId}", reason, () => coordinators.ResolveAsync(coordinator, tid, participantId, reason, cancellationToken), Self(tid));
    }

    public Task<IActionResult> OnPostForceCancelAsync(string tid, string coordinator, string? reason, CancellationToken cancellationToken)
    {
        if (!ValidTid(tid) || string.IsNullOrEmpty(coordinator))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        reason = Clip(reason);
        if (string.IsNullOrWhiteSpace(reason))
        {
            TempData["Flash"] = "Say why the transaction is force-cancelled; the reason goes to both audit logs.";
            TempData["FlashTone"] = "bad";
            return Task.FromResult<IActionResult>(LocalRedirect(Self(tid)));
        }

        return ActAsync("force-cancel", tid, reason, () => coordinators.ForceCancelAsync(coordinator, tid, reason, cancellationToken), Self(tid));
    }

    private static string Self(string tid) => "/transactions/" + Uri.EscapeDataString(tid);

    private static bool ValidTid(string? tid) => !string.IsNullOrWhiteSpace(tid) && tid.Length <= 200;

    private static string? Clip(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason.Trim().Length > 500 ? reason.Trim()[..500] : reason.Trim();
}
