using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Twist.Client.Diagnostics;
using Twist.Client.Internal;
using Twist.Errors;
using Twist.Protocol.V1;
using Twist.Transactions;
using ParticipantLink = Twist.Transactions.ParticipantLink;
using WireLink = Twist.Protocol.V1.ParticipantLink;

namespace Twist.Client.Remote;

/// <summary>
/// Implements <see cref="ITwistCoordinator"/> over a hosted coordinator's gRPC service <c>twist.v1.Coordinator</c>,
/// turning <see cref="RpcException"/> status codes back into the typed Twist exceptions.
/// </summary>
/// <remarks>
/// Status mapping: NotFound → <see cref="TransactionNotFoundException"/>; FailedPrecondition or Aborted →
/// <see cref="TransactionConflictException"/> (the transaction's outcome is fetched with Get); InvalidArgument and
/// OutOfRange → <see cref="TwistValidationException"/>; Unavailable and ResourceExhausted →
/// <see cref="CoordinatorUnavailableException"/>; DeadlineExceeded → <see cref="TimeoutException"/>;
/// Unauthenticated and PermissionDenied → <see cref="TwistException"/> with code <c>unauthorized</c>/<c>forbidden</c>.
/// A <c>twist-code</c> response trailer, when present, overrides the code derived from the status.
/// </remarks>
public sealed class GrpcTwistCoordinator : ITwistCoordinator
{
    /// <summary>The metadata key that carries the API key (gRPC metadata keys are lower case).</summary>
    public const string ApiKeyMetadataKey = "x-api-key";

    /// <summary>The trailer a coordinator may set to the exact Twist error code.</summary>
    public const string CodeTrailer = "twist-code";

    private readonly Coordinator.CoordinatorClient client;
    private readonly string? apiKey;
    private readonly TimeSpan requestTimeout;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="GrpcTwistCoordinator"/> class.</summary>
    /// <param name="callInvoker">The call invoker, usually a <c>GrpcChannel</c>'s; the caller owns the channel.</param>
    /// <param name="apiKey">The API key to send in <c>x-api-key</c>; <see langword="null"/> for none.</param>
    /// <param name="requestTimeout">The deadline of each call; <see langword="null"/> for 30 seconds.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="callInvoker"/> is <see langword="null"/>.</exception>
    public GrpcTwistCoordinator(CallInvoker callInvoker, string? apiKey = null, TimeSpan? requestTimeout = null, ILogger<GrpcTwistCoordinator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        client = new Coordinator.CoordinatorClient(callInvoker);
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new BeginRequest();
        if (timeout is { } t)
        {
            request.Timeout = Duration.FromTimeSpan(t);
        }

        return CallAsync("begin", null, o => client.BeginAsync(request, o), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> RegisterAsync(string tid, IReadOnlyList<ParticipantLink> links, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        ArgumentNullException.ThrowIfNull(links);
        var request = new RegisterRequest { Tid = tid };
        request.ParticipantLinks.AddRange(links.Select(ToWire));
        return CallAsync("register", tid, o => client.RegisterAsync(request, o), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> ConfirmAsync(string tid, IReadOnlyList<ParticipantLink>? links = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        var request = new ConfirmRequest { Tid = tid };
        request.ParticipantLinks.AddRange((links ?? []).Select(ToWire));
        return CallAsync("confirm", tid, o => client.ConfirmAsync(request, o), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> CancelAsync(string tid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        return CallAsync("cancel", tid, o => client.CancelAsync(new CancelRequest { Tid = tid }, o), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> GetAsync(string tid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        return CallAsync("get", tid, o => client.GetAsync(new GetRequest { Tid = tid }, o), cancellationToken);
    }

    internal static TransactionInfo ToInfo(TransactionReply reply)
    {
        var participants = new List<ParticipantInfo>(reply.Participants.Count);
        for (var i = 0; i < reply.Participants.Count; i++)
        {
            var p = reply.Participants[i];
            if (!Uri.TryCreate(p.Uri, UriKind.Absolute, out var uri))
            {
                continue;
            }

            participants.Add(new ParticipantInfo
            {
                Id = i + 1,
                Uri = uri,
                Expires = p.Expires?.ToDateTimeOffset() ?? DateTimeOffset.MinValue,
                Status = WireMapper.ParseParticipantStatus(p.Status),
                Attempts = p.Attempts,
                LastError = string.IsNullOrEmpty(p.LastError) ? null : p.LastError,
            });
        }

        return new TransactionInfo
        {
            Tid = reply.Tid,
            Status = WireMapper.ParseStatus(reply.Status, reply.Tid),
            Attention = WireMapper.ParseAttention(reply.Attention),
            CreatedAt = reply.Created?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow,
            ExpiresAt = reply.Expires?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow,
            DecidedAt = reply.Decided?.ToDateTimeOffset(),
            CompletedAt = reply.Completed?.ToDateTimeOffset(),
            Participants = participants,
        };
    }

    private static WireLink ToWire(ParticipantLink link) =>
        new() { Uri = link.Uri.AbsoluteUri, Expires = Timestamp.FromDateTimeOffset(link.Expires) };

    private async Task<TransactionInfo> CallAsync(string operation, string? tid, Func<CallOptions, AsyncUnaryCall<TransactionReply>> call, CancellationToken cancellationToken)
    {
        var headers = new Metadata();
        if (apiKey is not null)
        {
            headers.Add(ApiKeyMetadataKey, apiKey);
        }

        var options = new CallOptions(headers, DateTime.UtcNow + requestTimeout, cancellationToken);
        try
        {
            var reply = await call(options).ConfigureAwait(false);
            return ToInfo(reply);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The {operation} call was cancelled.", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            var mapped = await MapAsync(ex, operation, tid, cancellationToken).ConfigureAwait(false);
            logger.CoordinatorCallFailed(mapped, operation, mapped is TwistException te ? te.Code : "timeout");
            throw mapped;
        }
    }

    private async Task<Exception> MapAsync(RpcException ex, string operation, string? tid, CancellationToken cancellationToken)
    {
        var message = string.IsNullOrEmpty(ex.Status.Detail) ? $"The coordinator answered {operation} with gRPC status {ex.StatusCode}." : ex.Status.Detail;
        var code = ex.Trailers.GetValue(CodeTrailer) ?? ex.StatusCode switch
        {
            StatusCode.NotFound => TwistErrorCodes.TransactionNotFound,
            StatusCode.FailedPrecondition or StatusCode.Aborted => TwistErrorCodes.TransactionConflict,
            StatusCode.InvalidArgument or StatusCode.OutOfRange => TwistErrorCodes.InvalidRequest,
            StatusCode.Unauthenticated => TwistErrorCodes.Unauthorized,
            StatusCode.PermissionDenied => TwistErrorCodes.Forbidden,
            StatusCode.DeadlineExceeded => "timeout",
            _ => TwistErrorCodes.Unavailable,
        };

        switch (code)
        {
            case "timeout":
                return new TimeoutException($"The coordinator did not answer {operation} within {requestTimeout}.", ex);
            case TwistErrorCodes.TransactionNotFound when tid is not null:
                return new TransactionNotFoundException(tid);
            case TwistErrorCodes.TransactionConflict when tid is not null:
                TransactionInfo info;
                try
                {
                    info = await GetAsync(tid, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception fetchError) when (fetchError is TwistException or TimeoutException)
                {
                    info = WireMapper.Unknown(tid, operation == "cancel" ? TransactionStatus.Confirmed : TransactionStatus.Cancelled);
                }

                return new TransactionConflictException(info, message);
            case TwistErrorCodes.InvalidRequest or TwistErrorCodes.InvalidParticipantLink or TwistErrorCodes.TooManyParticipants or TwistErrorCodes.PayloadTooLarge:
                return new TwistValidationException(code, WireMapper.SingleError(message)) { Tid = tid };
            case TwistErrorCodes.Unavailable:
                return new CoordinatorUnavailableException(message, ex) { Tid = tid };
            case TwistErrorCodes.Unauthorized:
                return new TwistException(code, $"The coordinator did not accept the API key; check {TwistClientOptions.SectionName}:ApiKey. ({message})", ex) { Tid = tid };
            default:
                return new TwistException(code, message, ex) { Tid = tid };
        }
    }
}
