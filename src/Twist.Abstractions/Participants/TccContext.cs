using System.Data.Common;

namespace Twist.Participants;

/// <summary>
/// What a participant handler knows about the call: the transaction, the phase, and the guard's local database
/// transaction, which the handler's own writes should join so that business data and guard state commit together.
/// </summary>
public sealed class TccContext
{
    /// <summary>Gets the transaction id.</summary>
    public required string Tid { get; init; }

    /// <summary>Gets the participant's name.</summary>
    public required string Participant { get; init; }

    /// <summary>Gets the phase: <c>try</c>, <c>confirm</c> or <c>cancel</c>.</summary>
    public required string Phase { get; init; }

    /// <summary>Gets the transaction's deadline, as the caller sent it (<c>Twist-Deadline</c>), if known.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Gets the open connection of the participant's database, when a guard is configured.</summary>
    public DbConnection? Connection { get; init; }

    /// <summary>Gets the local transaction the guard opened on <see cref="Connection"/>; enlist your commands in it.</summary>
    public DbTransaction? Transaction { get; init; }

    /// <summary>Gets the request's services.</summary>
    public required IServiceProvider Services { get; init; }
}
