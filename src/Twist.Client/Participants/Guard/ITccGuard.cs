using System.Data.Common;

namespace Twist.Participants;

/// <summary>
/// Makes a participant's Try, Confirm and Cancel safe to repeat and to reorder, with one row per transaction in the
/// participant's own database (table <c>twist_guard</c>): what dtm calls a barrier and Seata a fence.
/// </summary>
/// <remarks>
/// <para>
/// The high-level methods (<see cref="TryAsync"/>, <see cref="ConfirmAsync"/>, <see cref="CancelAsync"/>) open a
/// connection and a local transaction, decide, run your business code in that transaction when the phase is new, and
/// commit guard row and business writes together. The primitives (<see cref="BeginTryAsync"/>,
/// <see cref="EnterTryAsync"/>, <see cref="EnterConfirmAsync"/>, <see cref="EnterCancelAsync"/>) let a service that
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
    /// <returns>The decision; see <see cref="ConfirmAsync"/>. Run the business code only on <see cref="TccGuardOutcome.Proceed"/>.</returns>
    Task<TccGuardResult> EnterConfirmAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default);

    /// <summary>Locks the transaction's row inside <paramref name="transaction"/> and marks it cancelled, or writes a tombstone.</summary>
    /// <param name="transaction">The business transaction, on the guard's database.</param>
    /// <param name="participant">The participant name.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The decision; see <see cref="CancelAsync"/>. Run the business code only on <see cref="TccGuardOutcome.Proceed"/>.</returns>
    Task<TccGuardResult> EnterCancelAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default);
}
