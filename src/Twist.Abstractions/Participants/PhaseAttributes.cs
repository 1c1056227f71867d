namespace Twist.Participants;

/// <summary>
/// Marks the Try method of a <see cref="TccParticipantAttribute"/> class:
/// <c>Task&lt;TResult&gt; M(TRequest request, TccContext context, CancellationToken cancellationToken)</c> or
/// <c>Task M(TRequest request, TccContext context, CancellationToken cancellationToken)</c>. It reserves resources.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TryAttribute : Attribute;

/// <summary>
/// Marks the Confirm method: <c>Task M(TccContext context, CancellationToken cancellationToken)</c>. It makes the
/// reservation permanent. The guard calls it at most once per transaction, and only after a successful Try.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ConfirmAttribute : Attribute;

/// <summary>
/// Marks the Cancel method: <c>Task M(TccContext context, CancellationToken cancellationToken)</c>. It releases the
/// reservation. The guard calls it at most once, after a Try that ran (even one that failed halfway), never after a
/// Confirm, and not at all when no Try ran (null compensation).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CancelAttribute : Attribute;
