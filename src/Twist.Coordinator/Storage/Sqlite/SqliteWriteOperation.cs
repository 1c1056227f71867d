namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>One queued write. Its outcome is held back until the batch it ran in has committed.</summary>
internal abstract class SqliteWriteOperation
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private int _state;

    /// <summary>Claims the operation for execution; false when the caller cancelled it while it was queued.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

    /// <summary>Runs the operation inside the batch's transaction, keeping its result or exception for <see cref="Publish"/>.</summary>
    public abstract void Execute(SqliteSession session);

    /// <summary>Completes the caller's task with the kept result or exception, once the batch is durable.</summary>
    public abstract void Publish();

    /// <summary>Fails the caller's task because the batch did not commit.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Marks the operation cancelled if it has not started; an operation that started always runs to the end.</summary>
    protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;
}

/// <summary>A write that produces a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The result type.</typeparam>
internal sealed class SqliteWriteOperation<T> : SqliteWriteOperation
{
    // Continuations must not run on the write loop: they would delay every later batch.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<SqliteSession, T> _work;
    private CancellationTokenRegistration _registration;
    private T? _result;
    private Exception? _error;

    public SqliteWriteOperation(Func<SqliteSession, T> work, CancellationToken cancellationToken)
    {
        _work = work;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var operation = (SqliteWriteOperation<T>)state!;
                    if (operation.TryCancel())
                    {
                        operation._completion.TrySetCanceled(token);
                    }
                },
                this);
        }
    }

    public Task<T> Task => _completion.Task;

    public override void Execute(SqliteSession session)
    {
        _registration.Dispose();
        _error = null; // a batch may run its writes twice (see SqliteWriteQueue.RunBatch); only the last run counts
        try
        {
            _result = _work(session);
        }
        catch (Exception ex)
        {
            _error = ex;
            throw;
        }
    }

    public override void Publish()
    {
        _registration.Dispose();
        if (_error is not null)
        {
            _completion.TrySetException(_error);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception exception)
    {
        _registration.Dispose();
        _completion.TrySetException(_error ?? exception);
    }
}
