namespace Twist.Client;

/// <summary>
/// Begins TCC transactions for a caller (composite service). Registered by <c>AddTwistClient</c>; works the same
/// whether the coordinator is embedded in this process or hosted elsewhere.
/// </summary>
public interface ITwistClient
{
    /// <summary>Gets the coordinator this client talks to, for operations the transaction object does not cover.</summary>
    ITwistCoordinator Coordinator { get; }

    /// <summary>
    /// Begins a transaction and makes it <see cref="TwistTransaction.Current"/> in the calling flow until it is disposed.
    /// </summary>
    /// <param name="timeout">
    /// How long the transaction may stay undecided; <see langword="null"/> for <see cref="TwistClientOptions.DefaultTimeout"/>.
    /// </param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The new transaction; dispose it (<c>await using</c>) so that an unfinished one is cancelled.</returns>
    /// <exception cref="Errors.TwistValidationException">The timeout is outside the coordinator's limits.</exception>
    /// <exception cref="Errors.CoordinatorUnavailableException">The coordinator cannot be reached or is stopping.</exception>
    Task<TwistTransaction> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
