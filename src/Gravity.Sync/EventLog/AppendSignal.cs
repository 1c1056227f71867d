namespace Gravity.Sync.EventLog;

/// <summary>
/// Wakes in-process readers when the log grows, so the synchronizer reacts to an append at once instead of at its next
/// poll. Appends from other processes are still found by polling.
/// </summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Raise() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
