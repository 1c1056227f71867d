using Twist.Transactions;

namespace Twist.Coordinator.Storage;

/// <summary>The decision the engine takes for an active transaction.</summary>
/// <param name="Status"><see cref="TransactionStatus.Confirming"/> or <see cref="TransactionStatus.Cancelling"/>.</param>
/// <param name="Reason">Why it was cancelled (e.g. <c>requested</c>, <c>timeout</c>, <c>link-expired</c>, <c>operator</c>); null for confirm.</param>
public sealed record Decision(TransactionStatus Status, string? Reason);
