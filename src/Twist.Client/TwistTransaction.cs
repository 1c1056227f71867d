using Microsoft.Extensions.Logging;
using Twist.Client.Diagnostics;
using Twist.Client.Internal;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Client;

/// <summary>
/// Represents one TCC transaction from the caller's side: collect the participant links that the Try answers
/// return, then confirm or cancel. Disposing a transaction that was neither confirmed nor cancelled cancels it.
/// </summary>
/// <remarks>
/// <para>
/// Create it with <see cref="ITwistClient.BeginAsync"/> and use it with <c>await using</c>. While it is undisposed it is
/// <see cref="Current"/> in the flow that began it, so HttpClients with <c>AddTwistTransactionPropagation()</c> attach
/// its headers to participant calls and register their Try answers without further code.
/// </para>
/// <para>Members are safe to call from several threads; <see cref="DisposeAsync"/> is safe to call multiple times and never throws.</para>
/// </remarks>
public sealed class TwistTransaction : IAsyncDisposable
{
    /// <summary>
    /// The <see cref="HttpRequestMessage.Options"/> key that attaches a transaction to one request explicitly, whatever
    /// <see cref="Current"/> is.
    /// </summary>
    public static readonly HttpRequestOptionsKey<TwistTransaction> RequestOptionKey = new("Twist.Transaction");

    private static readonly AsyncLocal<CurrentHolder?> CurrentSlot = new();

    private readonly ITwistCoordinator coordinator;
    private readonly ILogger logger;
    private readonly TimeSpan disposeCancelTimeout;
    private readonly Lock gate = new();
    private readonly List<ParticipantLink> participants = [];
    private readonly HashSet<Uri> registered = [];
    private CurrentHolder? holder;
    private CurrentHolder? previous;
    private TransactionInfo info;
    private bool decided;
    private int disposed;

    internal TwistTransaction(ITwistCoordinator coordinator, TransactionInfo info, ILogger logger, TimeSpan disposeCancelTimeout)
    {
        this.coordinator = coordinator;
        this.info = info;
        this.logger = logger;
        this.disposeCancelTimeout = disposeCancelTimeout;
    }

    /// <summary>
    /// Gets the transaction begun in the current asynchronous flow and not yet disposed, or <see langword="null"/>.
    /// </summary>
    public static TwistTransaction? Current
    {
        get
        {
            // Walk outwards: a scope whose transaction was disposed (or whose begin failed) reveals the enclosing one.
            for (var scope = CurrentSlot.Value; scope is not null; scope = scope.Previous)
            {
                if (scope.Transaction is { } transaction)
                {
                    return transaction;
                }
            }

            return null;
        }
    }

    /// <summary>Gets the transaction id, sent to participants in the <c>Twist-Transaction-ID</c> header.</summary>
    public string Tid => info.Tid;

    /// <summary>Gets the deadline after which the coordinator cancels the undecided transaction.</summary>
    public DateTimeOffset Deadline => info.ExpiresAt;

    /// <summary>Gets the transaction as the coordinator last answered it.</summary>
    public TransactionInfo Info
    {
        get
        {
            lock (gate)
            {
                return info;
            }
        }
    }

    /// <summary>Gets whether a confirm or cancel decision was reached (by this caller, or by the coordinator on timeout).</summary>
    public bool IsDecided
    {
        get
        {
            lock (gate)
            {
                return decided;
            }
        }
    }

    /// <summary>Gets a snapshot of the participant links collected so far.</summary>
    public IReadOnlyList<ParticipantLink> Participants
    {
        get
        {
            lock (gate)
            {
                return [.. participants];
            }
        }
    }

    /// <summary>Adds the participant link a Try answer returned; adding the same URI again replaces its expiry.</summary>
    /// <param name="link">The link from the participant's Try answer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="link"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The link URI is not absolute.</exception>
    /// <exception cref="InvalidOperationException">The transaction is already decided or disposed.</exception>
    public void AddParticipant(ParticipantLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!TryAddParticipant(link, out var state))
        {
            throw new InvalidOperationException(
                $"Transaction {Tid} is already {state}; participant {link.Uri} can no longer join it. Begin a new transaction for new work.");
        }
    }

    /// <summary>Confirms the transaction, sending the collected participant links with the decision.</summary>
    /// <param name="cancellationToken">The token to stop waiting; once the coordinator has decided, the decision stands.</param>
    /// <returns>
    /// The transaction, <see cref="TransactionStatus.Confirmed"/>, or <see cref="TransactionStatus.Confirming"/> while the
    /// coordinator is still retrying participants (it keeps going in the background).
    /// </returns>
    /// <exception cref="TransactionConflictException">
    /// The transaction was cancelled instead (it timed out, a link had expired, or it was cancelled before);
    /// <see cref="TransactionConflictException.Transaction"/> tells the outcome.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The transaction was disposed.</exception>
    public async Task<TransactionInfo> ConfirmAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ParticipantLink> links;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            if (decided && info.Status.IsConfirmDecision())
            {
                return info;
            }

            links = [.. participants];
        }

        using var activity = ClientActivitySource.Start("twist.confirm", Tid);
        activity?.SetTag(TwistClientTelemetry.ParticipantCountAttribute, links.Count);
        try
        {
            var result = await coordinator.ConfirmAsync(Tid, links, cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                registered.UnionWith(links.Select(p => p.Uri));
            }

            Decide(result);
            activity?.SetTag(TwistClientTelemetry.StatusAttribute, result.Status.ToString());
            logger.TransactionConfirmed(Tid, result.Status.ToString(), links.Count);
            return result;
        }
        catch (TransactionConflictException ex)
        {
            Decide(ex.Transaction);
            ClientActivitySource.Fail(activity, ex);
            logger.ConfirmRefused(Tid, ex.Transaction.Status.ToString(), ex.Transaction.Reason);
            throw;
        }
        catch (Exception ex)
        {
            ClientActivitySource.Fail(activity, ex);
            throw;
        }
    }

    /// <summary>Cancels the transaction: every participant that reserved something releases it.</summary>
    /// <param name="cancellationToken">The token to stop waiting; once the coordinator has decided, the decision stands.</param>
    /// <returns>The transaction, <see cref="TransactionStatus.Cancelled"/> or <see cref="TransactionStatus.Cancelling"/>.</returns>
    /// <exception cref="TransactionConflictException">The transaction was already confirmed.</exception>
    /// <exception cref="ObjectDisposedException">The transaction was disposed.</exception>
    public Task<TransactionInfo> CancelAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return CancelCoreAsync(cancellationToken);
    }

    /// <summary>
    /// Cancels the transaction if it was neither confirmed nor cancelled (best effort: failures are logged, never
    /// thrown; the coordinator cancels it at its deadline anyway), and ends it as <see cref="Current"/>.
    /// </summary>
    /// <returns>A task that completes when the cancel, if any, was answered or gave up.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        // Restore Current synchronously, in the caller's execution context: an AsyncLocal set inside an async method
        // would not flow back to the caller.
        if (holder is not null)
        {
            holder.Transaction = null;
            if (ReferenceEquals(CurrentSlot.Value, holder))
            {
                CurrentSlot.Value = previous;
            }
        }

        return IsDecided ? ValueTask.CompletedTask : new ValueTask(CancelOnDisposeAsync());
    }

    /// <summary>Returns the transaction id and status, for logs.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"TwistTransaction {Tid} ({Info.Status})";

    /// <summary>
    /// Makes a not-yet-begun transaction current in the caller's execution context. Called synchronously by
    /// <see cref="ITwistClient.BeginAsync"/> before it awaits the coordinator; the returned holder is filled in when
    /// the transaction exists.
    /// </summary>
    internal static CurrentHolder EnterScope()
    {
        var newHolder = new CurrentHolder { Previous = CurrentSlot.Value };
        CurrentSlot.Value = newHolder;
        return newHolder;
    }

    internal void AttachScope(CurrentHolder scope)
    {
        holder = scope;
        previous = scope.Previous;
        scope.Transaction = this;
    }

    /// <summary>Adds a link unless the transaction is decided or disposed; used by the propagation handler.</summary>
    internal bool TryAddParticipant(ParticipantLink link, out string state)
    {
        if (!link.Uri.IsAbsoluteUri)
        {
            throw new ArgumentException($"The participant link URI '{link.Uri}' is not absolute.", nameof(link));
        }

        lock (gate)
        {
            if (Volatile.Read(ref disposed) != 0 || decided)
            {
                state = Volatile.Read(ref disposed) != 0 ? "disposed" : info.Status.ToString();
                return false;
            }

            var index = participants.FindIndex(p => p.Uri == link.Uri);
            if (index >= 0)
            {
                participants[index] = link;
            }
            else
            {
                participants.Add(link);
            }
        }

        state = "Active";
        logger.ParticipantAdded(Tid, link.Uri, link.Expires);
        return true;
    }

    private async Task<TransactionInfo> CancelCoreAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (decided && info.Status is TransactionStatus.Cancelling or TransactionStatus.Cancelled)
            {
                return info;
            }
        }

        using var activity = ClientActivitySource.Start("twist.cancel", Tid);
        try
        {
            await RegisterPendingAsync(cancellationToken).ConfigureAwait(false);
            var result = await coordinator.CancelAsync(Tid, cancellationToken).ConfigureAwait(false);
            Decide(result);
            activity?.SetTag(TwistClientTelemetry.StatusAttribute, result.Status.ToString());
            logger.TransactionCancelled(Tid, result.Status.ToString());
            return result;
        }
        catch (TransactionConflictException ex)
        {
            Decide(ex.Transaction);
            ClientActivitySource.Fail(activity, ex);
            throw;
        }
        catch (Exception ex)
        {
            ClientActivitySource.Fail(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Tells the coordinator about the links it has not seen yet, so that its Cancel reaches them: links travel with
    /// the confirm otherwise (the seed's shape), and a cancel carries none.
    /// </summary>
    private async Task RegisterPendingAsync(CancellationToken cancellationToken)
    {
        ParticipantLink[] pending;
        lock (gate)
        {
            pending = [.. participants.Where(p => !registered.Contains(p.Uri))];
        }

        if (pending.Length == 0)
        {
            return;
        }

        try
        {
            await coordinator.RegisterAsync(Tid, pending, cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                registered.UnionWith(pending.Select(p => p.Uri));
            }
        }
        catch (TwistException ex) when (ex is not TransactionNotFoundException)
        {
            // Already decided, or a link the coordinator refuses: cancel anyway; the participants' reservations lapse
            // at their link's expiry.
            logger.RegisterBeforeCancelFailed(ex, Tid, pending.Length);
        }
    }

    private async Task CancelOnDisposeAsync()
    {
        try
        {
            logger.DisposeCancelling(Tid);
            using var timeout = new CancellationTokenSource(disposeCancelTimeout);
            await CancelCoreAsync(timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Dispose must never throw; the coordinator's deadline cancels the transaction anyway.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.DisposeCancelFailed(ex, Tid, Deadline);
        }
    }

    private void Decide(TransactionInfo result)
    {
        lock (gate)
        {
            info = result;
            decided = result.Status.IsDecided();
        }
    }

    /// <summary>A mutable cell shared by the flows that saw the transaction begin, so disposal clears it for all of them.</summary>
    internal sealed class CurrentHolder
    {
        public TwistTransaction? Transaction { get; set; }

        public CurrentHolder? Previous { get; init; }
    }
}
