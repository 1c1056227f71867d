using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Client.Diagnostics;

namespace Twist.Client.Internal;

/// <summary>The <see cref="ITwistClient"/> over whichever <see cref="ITwistCoordinator"/> the options select.</summary>
internal sealed class TwistClient : ITwistClient
{
    private readonly TwistClientOptions options;
    private readonly ILogger logger;

    public TwistClient(ITwistCoordinator coordinator, IOptions<TwistClientOptions> options, ILogger<TwistClient> logger)
    {
        Coordinator = coordinator;
        this.options = options.Value;
        this.logger = logger;
        logger.ClientStarted(this.options.ToString());
    }

    public ITwistCoordinator Coordinator { get; }

    // Not async on purpose: the new transaction must become Current in the caller's execution context, which only a
    // synchronous AsyncLocal write before the first await achieves.
    public Task<TwistTransaction> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "The transaction timeout must be positive.");
        }

        var scope = TwistTransaction.EnterScope();
        return BeginCoreAsync(scope, timeout ?? options.DefaultTimeout, cancellationToken);
    }

    private async Task<TwistTransaction> BeginCoreAsync(TwistTransaction.CurrentHolder scope, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = ClientActivitySource.Start("twist.begin", tid: null);
        try
        {
            var info = await Coordinator.BeginAsync(timeout, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(TwistClientTelemetry.TransactionIdAttribute, info.Tid);
            var transaction = new TwistTransaction(Coordinator, info, logger, options.RequestTimeout);
            transaction.AttachScope(scope);
            logger.TransactionBegun(info.Tid, info.ExpiresAt);
            return transaction;
        }
        catch (Exception ex)
        {
            ClientActivitySource.Fail(activity, ex);
            throw;
        }
    }
}
