using System.Diagnostics;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Storage;
using Twist.Protocol;
using Twist.Transactions;

namespace Twist.Coordinator.Engine;

/// <summary>
/// The span of a drive that runs outside the trace its transaction was begun in: resumed after a restart or a takeover,
/// started by the timeout sweep, or by an operator's request. It links to the begin's span (stored with the
/// transaction), so a trace view leads from the Confirm or Cancel made hours later back to the business call that
/// started it, and its participant calls are grouped under one span instead of each starting a trace of its own.
/// A drive inside the begin's trace (the usual confirm call) needs none: its deliveries are already children there.
/// </summary>
internal static class DriveActivity
{
    public static Activity? StartOutsideBeginTrace(StoredTransaction transaction, bool recovered)
    {
        if (!CoordinatorInstruments.ActivitySource.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(transaction.TraceParent, null, out var begun);
        var current = Activity.Current;
        if (current is not null && (begun == default || current.TraceId == begun.TraceId))
        {
            return null;
        }

        var phase = transaction.Status == TransactionStatus.Confirming ? TwistHeaders.PhaseConfirm : TwistHeaders.PhaseCancel;
        var activity = CoordinatorInstruments.ActivitySource.StartActivity(
            "twist.drive " + phase,
            ActivityKind.Internal,
            parentContext: default, // the current activity, if any (an operator's request)
            links: begun == default ? null : [new ActivityLink(begun)]);
        activity?.SetTag(TwistCoordinatorTelemetry.TransactionIdAttribute, transaction.Tid)
            .SetTag(TwistCoordinatorTelemetry.PhaseAttribute, phase)
            .SetTag("twist.drive.recovered", recovered);
        return activity;
    }
}
