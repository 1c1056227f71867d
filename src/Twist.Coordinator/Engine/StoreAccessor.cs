using Microsoft.Extensions.Logging;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Storage;
using Twist.Errors;

namespace Twist.Coordinator.Engine;

/// <summary>
/// Hands out the store once it is initialized. The first caller (usually the start-up worker, but possibly an embedded
/// caller that runs before the host has started) triggers initialization; everyone else awaits the same task.
/// </summary>
/// <remarks>A store shared by several instances opens with this instance's first lease renewal, so nothing it decides is ownerless.</remarks>
internal sealed class StoreAccessor(ITransactionStore store, InstanceLease lease, ILogger<StoreAccessor> logger)
{
    private readonly Lock gate = new();
    private Task? initialization;

    public bool IsReady => initialization is { IsCompletedSuccessfully: true };

    public ITransactionStore Store => store;

    public async ValueTask<ITransactionStore> GetAsync(CancellationToken cancellationToken)
    {
        Task init;
        lock (gate)
        {
            // A failed initialization is retried by the next caller rather than cached forever.
            if (initialization is null || initialization.IsFaulted || initialization.IsCanceled)
            {
                initialization = InitializeAsync();
            }

            init = initialization;
        }

        if (!init.IsCompletedSuccessfully)
        {
            try
            {
                await init.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new CoordinatorUnavailableException("The coordinator's store could not be opened: " + ex.Message, ex);
            }
        }

        return store;
    }

    private async Task InitializeAsync()
    {
        await store.InitializeAsync(CancellationToken.None).ConfigureAwait(false);
        await lease.RenewAsync(CancellationToken.None).ConfigureAwait(false);
        logger.StoreReady(store.GetType().Name);
    }
}
