using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Participants.Diagnostics;
using Twist.Participants.Hosting;
using Twist.Protocol;
using Twist.Protocol.V1;

namespace Twist.Participants.Endpoints;

/// <summary>
/// Serves <c>twist.v1.Participant</c> for <c>grpc://</c> participant links: the same Confirm and Cancel as the REST
/// endpoints (through <see cref="ParticipantPhaseRunner"/>), answered with the statuses the coordinator's gRPC transport
/// reads: <c>OK</c> done, <c>NOT_FOUND</c> not tried, <c>FAILED_PRECONDITION</c> conflict, <c>ABORTED</c> with a
/// <c>twist-epoch</c> trailer for a stale epoch, <c>UNAUTHENTICATED</c>, and <c>UNAVAILABLE</c> for a failed handler (retried).
/// </summary>
internal sealed class ParticipantGrpcService(
    IEnumerable<ParticipantDescriptor> participants,
    ParticipantPhaseRunner runner,
    IOptions<TwistParticipantOptions> options,
    ILogger<ParticipantGrpcService> logger) : Participant.ParticipantBase
{
    /// <summary>The metadata key of <see cref="TwistHeaders.Epoch"/>: gRPC keys are lower case.</summary>
    public const string EpochKey = "twist-epoch";

    private readonly ParticipantDescriptor[] participants = [.. participants];
    private readonly Uri? publicBase = options.Value.PublicBaseAddress is { Scheme: "grpc" or "grpcs" } address ? address : null;

    public override Task<PhaseReply> Confirm(PhaseRequest request, ServerCallContext context) => RunAsync(request, context, confirm: true);

    public override Task<PhaseReply> Cancel(PhaseRequest request, ServerCallContext context) => RunAsync(request, context, confirm: false);

    private async Task<PhaseReply> RunAsync(PhaseRequest request, ServerCallContext context, bool confirm)
    {
        var http = context.GetHttpContext();
        var phase = confirm ? TccPhases.Confirm : TccPhases.Cancel;
        var tid = request.Tid;
        if (!TransactionIdRule.IsWellFormed(tid))
        {
            throw Invalid(http, "?", "The tid must be 1-64 characters of letters, digits, '.', '_' or '-'.");
        }

        var path = request.LinkPath.Split('?', 2)[0];
        var participant = Find(path, tid)
            ?? throw Invalid(http, "?", $"The link path '{request.LinkPath}' is not '{{route}}/{tid}' of a participant of this service.");

        var metadataTid = context.RequestHeaders.GetValue(TwistHeaders.TransactionId.ToLowerInvariant());
        if (!string.IsNullOrEmpty(metadataTid) && metadataTid != tid)
        {
            throw Invalid(http, participant.Name, $"The {TwistHeaders.TransactionId} metadata '{metadataTid}' does not match the tid '{tid}' of the request.");
        }

        var sentPhase = context.RequestHeaders.GetValue(TwistHeaders.Phase.ToLowerInvariant());
        if (!string.IsNullOrEmpty(sentPhase) && !string.Equals(sentPhase, phase, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(http, participant.Name, $"The {TwistHeaders.Phase} metadata says '{sentPhase}' but the method is {phase}.");
        }

        long epoch = 0;
        var epochText = context.RequestHeaders.GetValue(EpochKey);
        if (!string.IsNullOrEmpty(epochText) && (!long.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out epoch) || epoch <= 0))
        {
            throw Invalid(http, participant.Name, $"The {EpochKey} metadata must be a positive integer, not '{epochText}'.");
        }

        var result = await runner.RunAsync(http, participant, tid, confirm, epoch, LinkFor(http, participant, path, tid)).ConfigureAwait(false);
        var name = participant.Name;
        switch (result.Verdict)
        {
            case PhaseVerdict.Done:
                return new PhaseReply();
            case PhaseVerdict.NotTried:
                throw new RpcException(new Status(StatusCode.NotFound, $"Participant '{name}' has no successful Try for transaction '{tid}', so there is no reservation to confirm."));
            case PhaseVerdict.Conflict:
                throw new RpcException(new Status(
                    StatusCode.FailedPrecondition,
                    $"Participant '{name}' already {(confirm ? TccGuardState.Cancelled : TccGuardState.Confirmed)} transaction '{tid}'; a decided transaction never changes its outcome."));
            case PhaseVerdict.StaleEpoch:
                // ABORTED with the higher epoch: the coordinator stops this drive rather than retrying it (HTTP's 412).
                throw new RpcException(
                    new Status(StatusCode.Aborted, $"Participant '{name}' already saw coordinator epoch {result.Epoch} for transaction '{tid}'; this {phase} under epoch {epoch} was refused without running."),
                    new Metadata { { EpochKey, result.Epoch.ToString(CultureInfo.InvariantCulture) } });
            case PhaseVerdict.Unauthenticated:
                throw new RpcException(new Status(
                    StatusCode.Unauthenticated, "Confirm and Cancel are accepted only with the coordinator's credential (Twist:Participant:CoordinatorCredential)."));
            case PhaseVerdict.Rejected:
                var rejected = result.Rejection!;
                throw new RpcException(new Status(StatusOf(rejected.StatusCode), rejected.Message));
            default:
                throw new RpcException(new Status(
                    StatusCode.Unavailable, $"The {phase} of participant '{name}' failed and its writes were rolled back; it was logged. Retry."));
        }
    }

    /// <summary>Maps a handler's HTTP refusal to the gRPC status the coordinator reads the same way (404/409 heuristic, the rest retried).</summary>
    private static StatusCode StatusOf(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status404NotFound => StatusCode.NotFound,
        StatusCodes.Status409Conflict => StatusCode.FailedPrecondition,
        StatusCodes.Status401Unauthorized => StatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => StatusCode.PermissionDenied,
        StatusCodes.Status429TooManyRequests => StatusCode.ResourceExhausted,
        _ => StatusCode.Unavailable,
    };

    /// <summary>Finds the participant whose route the link path ends with (before <c>/{tid}</c>); a path base may come first.</summary>
    private ParticipantDescriptor? Find(string path, string tid)
    {
        if (!path.EndsWith("/" + tid, StringComparison.Ordinal))
        {
            return null;
        }

        var prefix = path[..^(tid.Length + 1)];
        return Array.Find(participants, p => string.Equals(p.Route, prefix, StringComparison.OrdinalIgnoreCase))
            ?? Array.Find(participants, p => prefix.EndsWith(p.Route, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The link the coordinator signed: <c>grpc://{authority}{link_path}</c>, or the gRPC public base address's.</summary>
    private Uri LinkFor(HttpContext http, ParticipantDescriptor participant, string path, string tid) =>
        publicBase is not null
            ? new Uri(publicBase.AbsoluteUri.TrimEnd('/') + participant.Route + "/" + tid, UriKind.Absolute)
            : new Uri((http.Request.IsHttps ? "grpcs://" : "grpc://") + http.Request.Host.ToUriComponent() + path, UriKind.Absolute);

    private RpcException Invalid(HttpContext http, string name, string detail)
    {
        logger.BadRequest(name, http.Request.Method, http.Request.Path.Value ?? string.Empty, detail);
        return new RpcException(new Status(StatusCode.InvalidArgument, detail));
    }
}
