using System.Data.Common;

namespace Twist.Participants;

/// <summary>
/// Makes a participant's Try, Confirm and Cancel safe to repeat and to reorder, with one row per transaction in the
/// participant's own database (table <c>twist_guard</c>): what dtm calls a barrier and Seata a fence.
/// </summary>
/// <remarks>
/// <para>
/// The high-level methods (<see cref="TryAsync"/>, <see cref="ConfirmAsync(string, string, Func{DbConnection, DbTransaction, CancellationToken, Task}, CancellationToken)"/>, <see cref="CancelAsync(string, string, Func{DbConnection, DbTransaction, CancellationToken, Task}, CancellationToken)"/>) open a
/// connection and a local transaction, decide, run your business code in that transaction when the phase is new, and
/// commit guard row and business writes together. The primitives (<see cref="BeginTryAsync"/>,
/// <see cref="EnterTryAsync"/>, <see cref="EnterConfirmAsync(DbTransaction, string, string, CancellationToken)"/>, <see cref="EnterCancelAsync(DbTransaction, string, string, CancellationToken)"/>) let a service that
/// manages its own transaction (a gRPC participant, a message handler) make the same decisions inside it: run the
/// business code only on <see cref="TccGuardOutcome.Proceed"/>, then commit.
/// </para>
/// <para>
/// The state machine: Try records <c>trying</c> in its own committed transaction first, then turns it into
/// <c>tried</c> together with the business writes. So a Try that failed halfway leaves <c>trying</c> behind and a later
/// Cancel still calls the Cancel code: a Try may have had effects outside the database (the case Seata's fence gets
/// wrong). A Cancel that finds no row writes a <c>cancelled</c> tombstone (null compensation) that makes a late Try
/// refuse (hanging). Confirm needs <c>tried</c>; Cancel after Confirm and Confirm after Cancel are conflicts.
/// </para>
/// <para>
/// Coordinator clusters fence with epochs: each Confirm/Cancel carries the sending instance's epoch for the
/// transaction (<c>Twist-Epoch</c>). The row keeps the highest epoch seen; a call with a lower one is refused
/// (<see cref="TccGuardOutcome.Superseded"/>, answered 412 by the endpoints) because the instance that sent it was
/// overtaken by another. Calls without an epoch (single-instance coordinators) are neither checked nor recorded.
/// </para>
/// <para>
/// Supported databases: SQLite 3.24 or later (transactions must be <c>BEGIN IMMEDIATE</c>, the default of
/// <c>SqliteConnection.BeginTransaction()</c>) and PostgreSQL (READ COMMITTED, the default; rows are locked with
/// <c>SELECT … FOR UPDATE</c>).
/// </para>
/// </remarks>
public interface ITccGuard
{
    /// <summary>
    /// Runs a Try: records the attempt, then runs <paramref name="body"/> and marks the reservation tried in one local
    /// transaction. The body runs only on <see cref="TccGuardOutcome.Proceed"/>.
    /// </summary>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="expires">When the reservation lapses if neither Confirm nor Cancel arrives.</param>
    /// <param name="body">The business code; its commands must use the given connection and transaction.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>
    /// <see cref="TccGuardOutcome.Proceed"/> (body ran and committed), <see cref="TccGuardOutcome.Duplicate"/> (an
    /// earlier Try completed; <see cref="TccGuardResult.Expires"/> is its expiry), <see cref="TccGuardOutcome.Hanging"/>
    /// or <see cref="TccGuardOutcome.TryIncomplete"/>.
    /// </returns>
    /// <remarks>When <paramref name="body"/> throws, its writes roll back, the row stays <c>trying</c>, and the exception propagates.</remarks>
    Task<TccGuardResult> TryAsync(
        string participant, string tid, DateTimeOffset expires, Func<DbConnection, DbTransaction, CancellationToken, Task> body,
        CancellationToken cancellationToken = default);

    /// <summary>Runs a Confirm: when the reservation is tried, runs <paramref name="body"/> and marks it confirmed in one local transaction.</summary>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="body">The business code; its commands must use the given connection and transaction.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>
    /// <see cref="TccGuardOutcome.Proceed"/>, <see cref="TccGuardOutcome.Duplicate"/> (already confirmed),
    /// <see cref="TccGuardOutcome.NotTried"/> or <see cref="TccGuardOutcome.Conflict"/> (cancelled).
    /// </returns>
    Task<TccGuardResult> ConfirmAsync(
        string participant, string tid, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a Cancel: when a Try ran (even one that failed halfway), runs <paramref name="body"/> and marks the
    /// reservation cancelled in one local transaction; when none ran, writes a tombstone without running it.
    /// </summary>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="body">The business code; its commands must use the given connection and transaction.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>
    /// <see cref="TccGuardOutcome.Proceed"/>, <see cref="TccGuardOutcome.Duplicate"/> (already cancelled),
    /// <see cref="TccGuardOutcome.NullCompensation"/> or <see cref="TccGuardOutcome.Conflict"/> (confirmed).
    /// </returns>
    Task<TccGuardResult> CancelAsync(
        string participant, string tid, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a Confirm sent under a coordinator epoch (the <c>Twist-Epoch</c> header): refused with
    /// <see cref="TccGuardOutcome.Superseded"/>, without running <paramref name="body"/>, when a higher epoch was seen
    /// for the transaction; otherwise as the Confirm without an epoch, recording the epoch when it is higher.
    /// </summary>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="epoch">The coordinator's epoch; 0 when the call carried none (nothing is checked or recorded).</param>
    /// <param name="body">The business code; its commands must use the given connection and transaction.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>As the Confirm without an epoch, or <see cref="TccGuardOutcome.Superseded"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <remarks>The default implementation, for guards written before epochs, ignores <paramref name="epoch"/>: such a guard does not fence.</remarks>
    Task<TccGuardResult> ConfirmAsync(
        string participant, string tid, long epoch, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default) =>
        ConfirmAsync(participant, tid, body, cancellationToken);

    /// <summary>
    /// Runs a Cancel sent under a coordinator epoch: refused with <see cref="TccGuardOutcome.Superseded"/> when a higher
    /// epoch was seen for the transaction; otherwise as the Cancel without an epoch, recording the epoch when it is higher
    /// (a tombstone keeps it too).
    /// </summary>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="epoch">The coordinator's epoch; 0 when the call carried none.</param>
    /// <param name="body">The business code; its commands must use the given connection and transaction.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>As the Cancel without an epoch, or <see cref="TccGuardOutcome.Superseded"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <remarks>The default implementation, for guards written before epochs, ignores <paramref name="epoch"/>: such a guard does not fence.</remarks>
    Task<TccGuardResult> CancelAsync(
        string participant, string tid, long epoch, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default) =>
        CancelAsync(participant, tid, body, cancellationToken);

    /// <summary>
    /// Records that a Try starts, in its own committed transaction, before the business transaction opens. Call
    /// <see cref="EnterTryAsync"/> inside the business transaction next, when this returns <see cref="TccGuardOutcome.Proceed"/>.
    /// </summary>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="expires">When the attempt lapses if neither Confirm nor Cancel arrives.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The decision; see <see cref="TryAsync"/>.</returns>
    Task<TccGuardResult> BeginTryAsync(string participant, string tid, DateTimeOffset expires, CancellationToken cancellationToken = default);

    /// <summary>Locks the transaction's row inside <paramref name="transaction"/> and marks the Try tried, to commit with the business writes.</summary>
    /// <param name="transaction">The business transaction, on the guard's database.</param>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="expires">When the reservation lapses.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>
    /// <see cref="TccGuardOutcome.Proceed"/>; <see cref="TccGuardOutcome.Hanging"/> when a Cancel got in first;
    /// <see cref="TccGuardOutcome.NotTried"/> when <see cref="BeginTryAsync"/> was not called.
    /// </returns>
    Task<TccGuardResult> EnterTryAsync(DbTransaction transaction, string participant, string tid, DateTimeOffset expires, CancellationToken cancellationToken = default);

    /// <summary>Locks the transaction's row inside <paramref name="transaction"/> and, when it is tried, marks it confirmed.</summary>
    /// <param name="transaction">The business transaction, on the guard's database.</param>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The decision; see <see cref="ConfirmAsync(string, string, Func{DbConnection, DbTransaction, CancellationToken, Task}, CancellationToken)"/>. Run the business code only on <see cref="TccGuardOutcome.Proceed"/>.</returns>
    Task<TccGuardResult> EnterConfirmAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Locks the transaction's row inside <paramref name="transaction"/> and checks the coordinator's epoch: refused with
    /// <see cref="TccGuardOutcome.Superseded"/> when a higher one was seen, else recorded when higher, then as
    /// <see cref="EnterConfirmAsync(DbTransaction, string, string, CancellationToken)"/>. Commit the transaction also when
    /// the outcome is not <see cref="TccGuardOutcome.Proceed"/>, so the raised epoch is kept.
    /// </summary>
    /// <param name="transaction">The business transaction, on the guard's database.</param>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="epoch">The coordinator's epoch (<c>Twist-Epoch</c>); 0 when the call carried none.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The decision. Run the business code only on <see cref="TccGuardOutcome.Proceed"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <remarks>The default implementation, for guards written before epochs, ignores <paramref name="epoch"/>: such a guard does not fence.</remarks>
    Task<TccGuardResult> EnterConfirmAsync(DbTransaction transaction, string participant, string tid, long epoch, CancellationToken cancellationToken = default) =>
        EnterConfirmAsync(transaction, participant, tid, cancellationToken);

    /// <summary>
    /// Locks the transaction's row inside <paramref name="transaction"/> and checks the coordinator's epoch as
    /// <see cref="EnterConfirmAsync(DbTransaction, string, string, long, CancellationToken)"/> does, then marks it cancelled
    /// or writes a tombstone (which keeps the epoch).
    /// </summary>
    /// <param name="transaction">The business transaction, on the guard's database.</param>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="epoch">The coordinator's epoch (<c>Twist-Epoch</c>); 0 when the call carried none.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The decision. Run the business code only on <see cref="TccGuardOutcome.Proceed"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <remarks>The default implementation, for guards written before epochs, ignores <paramref name="epoch"/>: such a guard does not fence.</remarks>
    Task<TccGuardResult> EnterCancelAsync(DbTransaction transaction, string participant, string tid, long epoch, CancellationToken cancellationToken = default) =>
        EnterCancelAsync(transaction, participant, tid, cancellationToken);

    /// <summary>Locks the transaction's row inside <paramref name="transaction"/> and marks it cancelled, or writes a tombstone.</summary>
    /// <param name="transaction">The business transaction, on the guard's database.</param>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The decision; see <see cref="CancelAsync(string, string, Func{DbConnection, DbTransaction, CancellationToken, Task}, CancellationToken)"/>. Run the business code only on <see cref="TccGuardOutcome.Proceed"/>.</returns>
    Task<TccGuardResult> EnterCancelAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default);
}
