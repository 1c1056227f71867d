namespace Twist.Coordinator.Storage;

/// <summary>The result of <see cref="ITransactionStore.DecideAsync"/>.</summary>
/// <param name="Applied">Whether this call made the decision (false: it had been made before, possibly the other way).</param>
/// <param name="Transaction">The transaction after the call, with its participants.</param>
public sealed record DecisionResult(bool Applied, StoredTransaction Transaction);
