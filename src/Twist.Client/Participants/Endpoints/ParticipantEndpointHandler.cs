using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Errors;
using Twist.Participants.Diagnostics;
using Twist.Participants.Hosting;
using Twist.Protocol;

namespace Twist.Participants.Endpoints;

/// <summary>
/// Answers the participant endpoints: Try (<c>POST {route}</c>), Confirm (<c>PUT {route}/{tid}</c>) and Cancel
/// (<c>DELETE {route}/{tid}</c>), each through the guard, with the statuses of specs/twist-protocol.md.
/// </summary>
internal sealed class ParticipantEndpointHandler(
    IOptions<TwistParticipantOptions> options,
    ParticipantPhaseRunner runner,
    TimeProvider timeProvider,
    ILogger<ParticipantEndpointHandler> logger)
{
    private readonly TwistParticipantOptions options = options.Value;

    public async Task TryAsync<TParticipant, TRequest, TResult>(HttpContext context, ParticipantDescriptor<TParticipant, TRequest, TResult> participant)
        where TParticipant : class
    {
        var name = participant.Name;
        var tid = context.Request.Headers[TwistHeaders.TransactionId].ToString();
        if (!TransactionIdRule.IsWellFormed(tid))
        {
            await BadRequestAsync(context, name, tid.Length == 0
                ? $"The {TwistHeaders.TransactionId} header is missing: a Try must carry the transaction id the coordinator gave the caller."
                : $"The {TwistHeaders.TransactionId} header must be 1-64 characters of letters, digits, '.', '_' or '-'.").ConfigureAwait(false);
            return;
        }

        DateTimeOffset? deadline = null;
        var deadlineHeader = context.Request.Headers[TwistHeaders.Deadline].ToString();
        if (deadlineHeader.Length > 0)
        {
            if (!DateTimeOffset.TryParse(deadlineHeader, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                await BadRequestAsync(context, name, $"The {TwistHeaders.Deadline} header must be an RFC 3339 timestamp such as 2020-03-10T16:15:00.000Z.", tid).ConfigureAwait(false);
                return;
            }

            deadline = parsed;
        }

        if (!context.Request.HasJsonContentType())
        {
            await ParticipantResponses.WriteProblemAsync(
                context, StatusCodes.Status415UnsupportedMediaType, TccProblemCodes.UnsupportedMediaType, "The request body must be JSON.",
                "A Try's body is the JSON request of the participant; send Content-Type: application/json.", tid).ConfigureAwait(false);
            return;
        }

        TRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, participant.RequestJson, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await BadRequestAsync(context, name, $"The request body is not a valid {typeof(TRequest).Name}: {ex.Message}", tid).ConfigureAwait(false);
            return;
        }

        if (request is null)
        {
            await BadRequestAsync(context, name, $"The request body must be a {typeof(TRequest).Name}, not null.", tid).ConfigureAwait(false);
            return;
        }

        var expires = ReservationExpiry.Compute(timeProvider.GetUtcNow(), deadline, options.ReservationLifetime, options.EffectiveMaxReservationLifetime);
        var services = context.RequestServices;
        using var activity = ParticipantActivitySource.Start(TccPhases.Try, name, tid, context.Request);
        TResult? result = default;
        TccGuardResult decision;
        try
        {
            decision = await services.GetRequiredService<ITccGuard>().TryAsync(
                name,
                tid,
                expires,
                async (connection, transaction, ct) =>
                {
                    var tcc = new TccContext
                    {
                        Tid = tid, Participant = name, Phase = TccPhases.Try, Deadline = deadline,
                        Connection = connection, Transaction = transaction, Services = services,
                    };
                    result = await participant.Registration.TryHandler(services.GetRequiredService<TParticipant>(), request, tcc, ct).ConfigureAwait(false);
                },
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            ParticipantActivitySource.Fail(activity, ex);
            await HandlerFailedAsync(context, name, tid, TccPhases.Try, ex).ConfigureAwait(false);
            return;
        }

        ParticipantActivitySource.Outcome(activity, decision.Outcome);
        logger.PhaseDecided(name, tid, TccPhases.Try, ParticipantInstruments.Name(decision.Outcome));
        switch (decision.Outcome)
        {
            case TccGuardOutcome.Proceed or TccGuardOutcome.Duplicate:
                // A duplicate Try answers the same link; its result is not stored, so it is omitted.
                await ParticipantResponses.WriteTryAnswerAsync(
                    context, tid, LinkFor(context, participant, tid), decision.Expires ?? expires,
                    decision.Outcome == TccGuardOutcome.Proceed ? result : default, participant.ResultJson).ConfigureAwait(false);
                break;
            case TccGuardOutcome.Hanging:
                logger.HangingTryRefused(name, tid);
                await ParticipantResponses.WriteProblemAsync(
                    context, StatusCodes.Status409Conflict, TccProblemCodes.Hanging, "The transaction was already cancelled.",
                    $"Participant '{name}' already cancelled transaction '{tid}', so this late Try was refused without running.", tid).ConfigureAwait(false);
                break;
            default:
                logger.IncompleteTryRefused(name, tid);
                await ParticipantResponses.WriteProblemAsync(
                    context, StatusCodes.Status409Conflict, TccProblemCodes.TryIncomplete, "An earlier Try of the transaction did not complete.",
                    $"Participant '{name}' saw an earlier Try of transaction '{tid}' fail or still run; cancel the transaction and start a new one.", tid).ConfigureAwait(false);
                break;
        }
    }

    public async Task PhaseAsync(HttpContext context, ParticipantDescriptor participant, bool confirm)
    {
        var name = participant.Name;
        var phase = confirm ? TccPhases.Confirm : TccPhases.Cancel;
        var tid = context.Request.RouteValues["tid"] as string;
        if (!TransactionIdRule.IsWellFormed(tid))
        {
            await BadRequestAsync(context, name, "The transaction id in the path must be 1-64 characters of letters, digits, '.', '_' or '-'.").ConfigureAwait(false);
            return;
        }

        var headerTid = context.Request.Headers[TwistHeaders.TransactionId].ToString();
        if (headerTid.Length > 0 && headerTid != tid)
        {
            await BadRequestAsync(context, name, $"The {TwistHeaders.TransactionId} header '{headerTid}' does not match the transaction '{tid}' of the path.", tid).ConfigureAwait(false);
            return;
        }

        // Twist-Phrase is the Brobridge v1 spelling the coordinator also sends; either must agree with the method.
        foreach (var header in (ReadOnlySpan<string>)[TwistHeaders.Phase, TwistHeaders.PhaseCompat])
        {
            var sent = context.Request.Headers[header].ToString();
            if (sent.Length > 0 && !string.Equals(sent, phase, StringComparison.OrdinalIgnoreCase))
            {
                await BadRequestAsync(context, name, $"The {header} header says '{sent}' but {context.Request.Method} means {phase}.", tid).ConfigureAwait(false);
                return;
            }
        }

        // The coordinator's fencing epoch (clusters only): absent means "not fenced", anything else must be a positive integer.
        long epoch = 0;
        var epochHeader = context.Request.Headers[TwistHeaders.Epoch].ToString();
        if (epochHeader.Length > 0 && (!long.TryParse(epochHeader, NumberStyles.None, CultureInfo.InvariantCulture, out epoch) || epoch <= 0))
        {
            await BadRequestAsync(context, name, $"The {TwistHeaders.Epoch} header must be a positive integer, not '{epochHeader}'.", tid).ConfigureAwait(false);
            return;
        }

        var result = await runner.RunAsync(context, participant, tid, confirm, epoch, LinkFor(context, participant, tid)).ConfigureAwait(false);
        switch (result.Verdict)
        {
            case PhaseVerdict.Done:
                await ParticipantResponses.WritePhaseAnswerAsync(context, tid, name, phase, result.Outcome!).ConfigureAwait(false);
                break;
            case PhaseVerdict.Unauthenticated:
                if (runner.ExpectsBearer)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }

                await ParticipantResponses.WriteProblemAsync(
                    context, StatusCodes.Status401Unauthorized, TwistErrorCodes.Unauthorized, "Authentication is required.",
                    "Confirm and Cancel are accepted only with the coordinator's credential (Twist:Participant:CoordinatorCredential).", tid).ConfigureAwait(false);
                break;
            case PhaseVerdict.StaleEpoch:
                // 412 with the higher epoch: the coordinator stops this drive (another instance drives the transaction)
                // rather than retrying it; a plain 409 would be taken as a heuristic outcome.
                context.Response.Headers[TwistHeaders.Epoch] = result.Epoch.ToString(CultureInfo.InvariantCulture);
                await ParticipantResponses.WriteProblemAsync(
                    context, StatusCodes.Status412PreconditionFailed, TccProblemCodes.StaleEpoch, "Another coordinator instance drives this transaction now.",
                    $"Participant '{name}' already saw coordinator epoch {result.Epoch} for transaction '{tid}', so this {phase} under epoch {epoch} was refused without running.", tid).ConfigureAwait(false);
                break;
            case PhaseVerdict.Conflict:
                var state = confirm ? TccGuardState.Cancelled : TccGuardState.Confirmed;
                await ParticipantResponses.WriteProblemAsync(
                    context, StatusCodes.Status409Conflict, TccProblemCodes.PhaseConflict, "The request conflicts with the transaction's outcome.",
                    $"Participant '{name}' already {state} transaction '{tid}'; a decided transaction never changes its outcome.", tid).ConfigureAwait(false);
                break;
            case PhaseVerdict.NotTried:
                await ParticipantResponses.WriteProblemAsync(
                    context, StatusCodes.Status404NotFound, TccProblemCodes.NotTried, "Nothing to confirm.",
                    $"Participant '{name}' has no successful Try for transaction '{tid}', so there is no reservation to confirm.", tid).ConfigureAwait(false);
                break;
            case PhaseVerdict.Rejected:
                await WriteRejectedAsync(context, phase, tid, result.Rejection!).ConfigureAwait(false);
                break;
            default:
                await WriteFailedAsync(context, name, phase, tid).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Builds <c>{base}{route}/{tid}</c>; the base is <see cref="TwistParticipantOptions.PublicBaseAddress"/> or the request's own.</summary>
    private Uri LinkFor(HttpContext context, ParticipantDescriptor participant, string tid)
    {
        var path = participant.Route + "/" + tid;
        if (options.PublicBaseAddress is { } publicBase)
        {
            return new Uri(publicBase.AbsoluteUri.TrimEnd('/') + path, UriKind.Absolute);
        }

        var request = context.Request;
        return new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, path), UriKind.Absolute);
    }

    private async Task HandlerFailedAsync(HttpContext context, string name, string tid, string phase, Exception exception)
    {
        if (exception is TccRejectedException rejected)
        {
            logger.HandlerRejected(name, tid, phase, rejected.StatusCode, rejected.Message);
            await WriteRejectedAsync(context, phase, tid, rejected).ConfigureAwait(false);
            return;
        }

        // Never the exception's message: it may carry connection strings, SQL or customer data.
        logger.HandlerFailed(exception, name, tid, phase);
        await WriteFailedAsync(context, name, phase, tid).ConfigureAwait(false);
    }

    private static Task WriteRejectedAsync(HttpContext context, string phase, string tid, TccRejectedException rejected) =>
        ParticipantResponses.WriteProblemAsync(context, rejected.StatusCode, rejected.Code, $"The participant refused the {phase}.", rejected.Message, tid);

    private static Task WriteFailedAsync(HttpContext context, string name, string phase, string tid) =>
        ParticipantResponses.WriteProblemAsync(
            context, StatusCodes.Status500InternalServerError, TccProblemCodes.InternalError, "An unexpected error occurred.",
            $"The {phase} of participant '{name}' failed and its writes were rolled back. It was logged; quote the traceId when you report it.", tid);

    private Task BadRequestAsync(HttpContext context, string name, string detail, string? tid = null)
    {
        logger.BadRequest(name, context.Request.Method, context.Request.Path.Value ?? string.Empty, detail);
        return ParticipantResponses.WriteProblemAsync(context, StatusCodes.Status400BadRequest, TwistErrorCodes.InvalidRequest, "The request is invalid.", detail, tid);
    }
}
