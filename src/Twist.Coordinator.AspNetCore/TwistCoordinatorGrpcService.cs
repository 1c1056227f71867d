using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.AspNetCore.Internal;
using Twist.Coordinator.Hosting;
using Twist.Errors;
using Twist.Protocol.V1;
using Twist.Transactions;
using ProtoParticipantLink = Twist.Protocol.V1.ParticipantLink;

namespace Twist.Coordinator.AspNetCore;

/// <summary>
/// Serves the <c>twist.v1.Coordinator</c> gRPC service over <see cref="ITwistCoordinator"/>. Errors map to gRPC status
/// codes: <c>NOT_FOUND</c> (unknown transaction), <c>FAILED_PRECONDITION</c> (conflict; the transaction's status is in
/// the message and in the <c>twist-status</c> trailer), <c>INVALID_ARGUMENT</c> (validation), <c>UNAVAILABLE</c>
/// (coordinator stopping or store down). Every error carries the stable code in the <c>twist-code</c> trailer.
/// </summary>
public sealed class TwistCoordinatorGrpcService : Protocol.V1.Coordinator.CoordinatorBase
{
    /// <summary>The trailer that carries the stable error code (one of <see cref="TwistErrorCodes"/>).</summary>
    public const string CodeTrailer = "twist-code";

    /// <summary>The trailer that carries the transaction id of an error, when known.</summary>
    public const string TidTrailer = "twist-tid";

    /// <summary>The trailer that carries the transaction's status on a conflict.</summary>
    public const string StatusTrailer = "twist-status";

    private readonly ITwistCoordinator coordinator;
    private readonly IOptions<TwistCoordinatorOptions> options;
    private readonly ILogger<TwistCoordinatorGrpcService> logger;

    /// <summary>Initializes a new instance of the <see cref="TwistCoordinatorGrpcService"/> class.</summary>
    /// <param name="coordinator">The coordinator.</param>
    /// <param name="options">The coordinator options (for the maximum timeout).</param>
    /// <param name="logger">The logger.</param>
    public TwistCoordinatorGrpcService(ITwistCoordinator coordinator, IOptions<TwistCoordinatorOptions> options, ILogger<TwistCoordinatorGrpcService> logger)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        this.coordinator = coordinator;
        this.options = options;
        this.logger = logger;
    }

    /// <inheritdoc/>
    public override Task<TransactionReply> Begin(BeginRequest request, ServerCallContext context) => RunAsync(context, async () =>
    {
        ArgumentNullException.ThrowIfNull(request);
        TimeSpan? timeout = null;
        if (request.Timeout is { } duration)
        {
            if (duration.Seconds < 0 || duration.Nanos < 0 || duration.Seconds > Duration.MaxSeconds)
            {
                throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "timeout", "The timeout must not be negative.");
            }

            TimeSpan value;
            try
            {
                value = duration.ToTimeSpan();
            }
            catch (InvalidOperationException)
            {
                throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "timeout", "The timeout is not a valid duration.");
            }

            if (value > options.Value.MaxTimeout)
            {
                throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "timeout", $"The timeout {value} is longer than the coordinator's maximum of {options.Value.MaxTimeout} (Twist:Coordinator:MaxTimeout).");
            }

            timeout = value == TimeSpan.Zero ? null : value;
        }

        return await coordinator.BeginAsync(timeout, context.CancellationToken).ConfigureAwait(false);
    });

    /// <inheritdoc/>
    public override Task<TransactionReply> Register(RegisterRequest request, ServerCallContext context) => RunAsync(context, async () =>
    {
        ArgumentNullException.ThrowIfNull(request);
        var tid = RequestValidation.RequireId(request.Tid, "tid");
        var links = ToLinks(request.ParticipantLinks);
        return await coordinator.RegisterAsync(tid, links, context.CancellationToken).ConfigureAwait(false);
    });

    /// <inheritdoc/>
    public override Task<TransactionReply> Confirm(ConfirmRequest request, ServerCallContext context) => RunAsync(context, async () =>
    {
        ArgumentNullException.ThrowIfNull(request);
        var tid = RequestValidation.RequireId(request.Tid, "tid");
        var links = ToLinks(request.ParticipantLinks);
        var info = await coordinator.ConfirmAsync(tid, links.Count == 0 ? null : links, context.CancellationToken).ConfigureAwait(false);
        return info.Status.IsConfirmDecision()
            ? info
            : throw new TransactionConflictException(info, $"Transaction '{tid}' was not confirmed: it is {info.Status}.");
    });

    /// <inheritdoc/>
    public override Task<TransactionReply> Cancel(CancelRequest request, ServerCallContext context) => RunAsync(context, async () =>
    {
        ArgumentNullException.ThrowIfNull(request);
        var tid = RequestValidation.RequireId(request.Tid, "tid");
        var info = await coordinator.CancelAsync(tid, context.CancellationToken).ConfigureAwait(false);
        return info.Status is TransactionStatus.Cancelling or TransactionStatus.Cancelled
            ? info
            : throw new TransactionConflictException(info, $"Transaction '{tid}' was not cancelled: it is {info.Status}.");
    });

    /// <inheritdoc/>
    public override Task<TransactionReply> Get(GetRequest request, ServerCallContext context) => RunAsync(context, async () =>
    {
        ArgumentNullException.ThrowIfNull(request);
        var tid = RequestValidation.RequireId(request.Tid, "tid");
        return await coordinator.GetAsync(tid, context.CancellationToken).ConfigureAwait(false);
    });

    private async Task<TransactionReply> RunAsync(ServerCallContext context, Func<Task<TransactionInfo>> call)
    {
        try
        {
            return ToReply(await call().ConfigureAwait(false));
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        catch (TwistException ex)
        {
            var trailers = new Metadata { { CodeTrailer, ex.Code } };
            if (ex.Tid is not null)
            {
                trailers.Add(TidTrailer, ex.Tid);
            }

            var code = ex.Code switch
            {
                TwistErrorCodes.TransactionNotFound or TwistErrorCodes.TaskNotFound or TwistErrorCodes.ParticipantNotFound => StatusCode.NotFound,
                TwistErrorCodes.TransactionConflict => StatusCode.FailedPrecondition,
                TwistErrorCodes.Unavailable => StatusCode.Unavailable,
                TwistErrorCodes.TooManyParticipants => StatusCode.ResourceExhausted,
                TwistErrorCodes.Unauthorized => StatusCode.Unauthenticated,
                TwistErrorCodes.Forbidden => StatusCode.PermissionDenied,
                _ => StatusCode.InvalidArgument,
            };
            var message = ex.Message;
            if (ex is TransactionConflictException conflict)
            {
                trailers.Add(StatusTrailer, conflict.Transaction.Status.ToString());
                message = $"{ex.Message} (status: {conflict.Transaction.Status})";
            }

            throw new RpcException(new Status(code, message), trailers);
        }
        catch (Exception ex)
        {
            Log.GrpcCallFailed(logger, ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "An unexpected error occurred in the coordinator; it was logged."), new Metadata { { CodeTrailer, ApiProblemCodes.InternalError } });
        }
    }

    private static List<Twist.Transactions.ParticipantLink> ToLinks(Google.Protobuf.Collections.RepeatedField<ProtoParticipantLink> links)
    {
        var models = new List<ParticipantLinkModel>(links.Count);
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < links.Count; i++)
        {
            if (links[i].Expires is null)
            {
                RequestValidation.Add(errors, $"participantLinks[{i}].expires", "The expiry is required.");
                continue;
            }

            DateTimeOffset expires;
            try
            {
                expires = links[i].Expires.ToDateTimeOffset();
            }
            catch (InvalidOperationException)
            {
                RequestValidation.Add(errors, $"participantLinks[{i}].expires", "The expiry is not a valid timestamp.");
                continue;
            }

            models.Add(new ParticipantLinkModel { Uri = links[i].Uri, Expires = expires });
        }

        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidParticipantLink, errors);
        }

        return RequestValidation.ToLinks(models);
    }

    private static TransactionReply ToReply(TransactionInfo info)
    {
        var reply = new TransactionReply
        {
            Tid = info.Tid,
            Status = info.Status.ToString(),
            Expires = Timestamp.FromDateTimeOffset(info.ExpiresAt),
            Attention = info.Attention == TransactionAttention.None ? string.Empty : info.Attention.ToString(),
            Created = Timestamp.FromDateTimeOffset(info.CreatedAt),
        };
        if (info.DecidedAt is { } decided)
        {
            reply.Decided = Timestamp.FromDateTimeOffset(decided);
        }

        if (info.CompletedAt is { } completed)
        {
            reply.Completed = Timestamp.FromDateTimeOffset(completed);
        }

        foreach (var p in info.Participants)
        {
            reply.Participants.Add(new ParticipantState
            {
                Uri = p.Uri.OriginalString,
                Expires = Timestamp.FromDateTimeOffset(p.Expires),
                Status = p.Status.ToString(),
                Attempts = p.Attempts,
                LastError = p.LastError ?? string.Empty,
            });
        }

        return reply;
    }
}
