using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Compat;

/// <summary>
/// The Brobridge Twist v1 task store (specs/twist-protocol.md, "[compat]"), so that clients written for the original
/// v1 API run unchanged: participants store their task (actions and an opaque payload) with the coordinator, and
/// callers register tasks with a transaction.
/// </summary>
public interface ITwistTaskRegistry
{
    /// <summary>Stores a new task.</summary>
    /// <param name="definition">The task's actions, payload and timeout.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The stored task with its id and status <c>PENDING</c>.</returns>
    /// <exception cref="Twist.Errors.TwistValidationException">An action is malformed or its host is not allowed.</exception>
    Task<StoredTask> CreateTaskAsync(TaskDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Gets a task.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The task.</returns>
    /// <exception cref="Twist.Errors.TwistException">No task has that id (<c>task-not-found</c>).</exception>
    Task<StoredTask> GetTaskAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Cancels a task: marks it <c>CANCELED</c> and, if its transaction is still active, cancels the transaction.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The task afterwards.</returns>
    /// <exception cref="Twist.Errors.TwistException">No task has that id (<c>task-not-found</c>).</exception>
    Task<StoredTask> CancelTaskAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Registers tasks with an active transaction: known tasks by id, or inline definitions (the T0 shape).</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="tasks">The tasks.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transaction with its participants.</returns>
    Task<TransactionInfo> RegisterTasksAsync(string tid, IReadOnlyList<TaskRegistration> tasks, CancellationToken cancellationToken = default);
}

/// <summary>What a v1 client sends to create a task.</summary>
/// <param name="Confirm">The confirm action.</param>
/// <param name="Cancel">The cancel action.</param>
/// <param name="Payload">The opaque state string.</param>
/// <param name="Timeout">How long the reservation lasts; null for the coordinator's default.</param>
public sealed record TaskDefinition(ParticipantAction Confirm, ParticipantAction Cancel, string? Payload, TimeSpan? Timeout);

/// <summary>One task in a v1 register call: either the id of a stored task, or an inline definition.</summary>
/// <param name="Id">The id of a task created with <see cref="ITwistTaskRegistry.CreateTaskAsync"/>, if any.</param>
/// <param name="Definition">An inline definition, when <paramref name="Id"/> is null or unknown.</param>
public sealed record TaskRegistration(string? Id, TaskDefinition? Definition);
