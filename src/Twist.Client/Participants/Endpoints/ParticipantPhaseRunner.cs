using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twist.Participants.Diagnostics;
using Twist.Participants.Hosting;

namespace Twist.Participants.Endpoints;

/// <summary>
/// Runs a Confirm or Cancel the same way whichever transport carried it (REST <c>PUT</c>/<c>DELETE</c> or the gRPC
/// <c>twist.v1.Participant</c> service): authenticates the coordinator, runs the handler behind the guard and logs the
/// decision. The transports parse their own input and turn the <see cref="PhaseResult"/> into their own answer.
/// </summary>
internal sealed class ParticipantPhaseRunner(CoordinatorAuthenticator authenticator, ILogger<ParticipantPhaseRunner> logger)
{
    public bool ExpectsBearer => authenticator.ExpectsBearer;

    /// <summary>Runs the phase.</summary>
    /// <param name="context">The call; its headers (or gRPC metadata) carry the credential.</param>
    /// <param name="participant">The participant the link belongs to.</param>
    /// <param name="tid">The well-formed transaction id.</param>
    /// <param name="confirm"><see langword="true"/> for Confirm, <see langword="false"/> for Cancel.</param>
    /// <param name="epoch">The coordinator's epoch, or 0 when the call carried none.</param>
    /// <param name="link">The participant link the coordinator signed.</param>
    public async Task<PhaseResult> RunAsync(HttpContext context, ParticipantDescriptor participant, string tid, bool confirm, long epoch, Uri link)
    {
        var name = participant.Name;
        var phase = confirm ? TccPhases.Confirm : TccPhases.Cancel;
        if (authenticator.Check(context, tid, phase, link, epoch) is { } reason)
        {
            logger.CoordinatorUnauthorized(name, context.Request.Method, context.Request.Path.Value ?? string.Empty, reason);
            return new PhaseResult(PhaseVerdict.Unauthenticated);
        }

        var services = context.RequestServices;
        var guard = services.GetRequiredService<ITccGuard>();
        using var activity = ParticipantActivitySource.Start(phase, name, tid, context.Request);
        TccGuardResult decision;
        try
        {
            Task Body(DbConnection connection, DbTransaction transaction, CancellationToken ct)
            {
                var tcc = new TccContext
                {
                    Tid = tid, Participant = name, Phase = phase, Connection = connection, Transaction = transaction, Services = services,
                };
                return confirm ? participant.ConfirmAsync(tcc, ct) : participant.CancelAsync(tcc, ct);
            }

            decision = confirm
                ? await guard.ConfirmAsync(name, tid, epoch, Body, context.RequestAborted).ConfigureAwait(false)
                : await guard.CancelAsync(name, tid, epoch, Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            ParticipantActivitySource.Fail(activity, ex);
            if (ex is TccRejectedException rejected)
            {
                logger.HandlerRejected(name, tid, phase, rejected.StatusCode, rejected.Message);
                return new PhaseResult(PhaseVerdict.Rejected, Rejection: rejected);
            }

            // Never the exception's message in the answer: it may carry connection strings, SQL or customer data.
            logger.HandlerFailed(ex, name, tid, phase);
            return new PhaseResult(PhaseVerdict.Failed);
        }

        ParticipantActivitySource.Outcome(activity, decision.Outcome);
        var outcome = ParticipantInstruments.Name(decision.Outcome);
        logger.PhaseDecided(name, tid, phase, outcome);
        switch (decision.Outcome)
        {
            case TccGuardOutcome.Proceed or TccGuardOutcome.Duplicate:
                return new PhaseResult(PhaseVerdict.Done, outcome);
            case TccGuardOutcome.NullCompensation:
                logger.NullCompensation(name, tid);
                return new PhaseResult(PhaseVerdict.Done, outcome);
            case TccGuardOutcome.Superseded:
                logger.StaleEpochRefused(name, tid, phase, epoch, decision.Epoch);
                return new PhaseResult(PhaseVerdict.StaleEpoch, outcome, decision.Epoch);
            case TccGuardOutcome.Conflict:
                logger.PhaseConflict(name, tid, phase, confirm ? TccGuardState.Cancelled : TccGuardState.Confirmed);
                return new PhaseResult(PhaseVerdict.Conflict, outcome);
            default:
                logger.ConfirmNotTried(name, tid);
                return new PhaseResult(PhaseVerdict.NotTried, outcome);
        }
    }
}
