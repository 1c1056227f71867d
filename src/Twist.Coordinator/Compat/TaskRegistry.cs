using Microsoft.Extensions.Options;
using Twist.Coordinator.Engine;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Security;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.Compat;

/// <summary>The Brobridge v1 task store on top of the engine: tasks become participants driven with their own actions.</summary>
internal sealed class TaskRegistry(
    StoreAccessor stores,
    EmbeddedCoordinator coordinator,
    ParticipantLinkPolicy linkPolicy,
    IOptions<TwistCoordinatorOptions> options,
    TransactionDriver driver,
    TimeProvider timeProvider) : ITwistTaskRegistry
{
    public const string Pending = "PENDING";
    public const string Confirmed = "CONFIRMED";
    public const string Canceled = "CANCELED";

    private static readonly string[] AllowedMethods = ["PUT", "DELETE", "POST"];

    public async Task<StoredTask> CreateTaskAsync(TaskDefinition definition, CancellationToken cancellationToken = default)
    {
        var task = BuildTask(definition, "task");
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        await store.CreateTaskAsync(task, cancellationToken).ConfigureAwait(false);
        return task;
    }

    public async Task<StoredTask> GetTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        EnsureTaskId(id);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var task = await store.GetTaskAsync(id, cancellationToken).ConfigureAwait(false) ?? throw TaskNotFound(id);
        if (task.Tid is { } tid && task.Status == Pending)
        {
            // Its transaction's outcome may have been announced but not yet written. The read above may also have
            // raced a write that finished just after it, so read again after the wait even when nothing is pending.
            await driver.WhenRecordedAsync(tid).WaitAsync(cancellationToken).ConfigureAwait(false);
            task = await store.GetTaskAsync(id, cancellationToken).ConfigureAwait(false) ?? task;
        }

        return task;
    }

    public async Task<StoredTask> CancelTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        var task = await GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
        if (task.Status == Canceled)
        {
            return task;
        }

        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        if (task.Tid is { } tid)
        {
            var transaction = await store.GetAsync(tid, cancellationToken).ConfigureAwait(false);
            if (transaction?.Status == TransactionStatus.Active)
            {
                // The participant withdrew: the transaction can no longer confirm. Cancelling it calls every task's
                // cancel action once; a second DELETE finds the transaction decided and does not loop (v1 bug 82211ef).
                await coordinator.DecideAndDriveAsync(
                    tid, [], _ => _ => DecisionRules.ForCancel(DecisionRules.TaskCancelled), wantConfirm: false, "twist.cancel", cancellationToken).ConfigureAwait(false);
            }
        }

        await store.UpdateTaskAsync(id, Canceled, null, cancellationToken).ConfigureAwait(false);
        return task with { Status = Canceled };
    }

    public async Task<TransactionInfo> RegisterTasksAsync(string tid, IReadOnlyList<TaskRegistration> tasks, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        ArgumentNullException.ThrowIfNull(tasks);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var resolved = new List<StoredTask>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            var registration = tasks[i];
            StoredTask? task = null;
            if (registration.Id is { } id)
            {
                EnsureTaskId(id, $"tasks[{i}].id");
                task = await store.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
            }

            if (task is null)
            {
                if (registration.Definition is null)
                {
                    throw TaskNotFound(registration.Id ?? "(none)");
                }

                task = BuildTask(registration.Definition, $"tasks[{i}]");
                await store.CreateTaskAsync(task, cancellationToken).ConfigureAwait(false);
            }

            resolved.Add(task);
        }

        var participants = resolved.Select(t => new NewParticipant(
            new ParticipantTarget
            {
                // The fragment keeps each task unique within the transaction even when tasks share an endpoint;
                // it is never sent, because tasks are called through their own actions.
                Uri = new UriBuilder(t.Confirm.Uri) { Fragment = "task=" + t.Id }.Uri,
                TaskId = t.Id,
                ConfirmAction = t.Confirm,
                CancelAction = t.Cancel,
            },
            t.ExpiresAt)).ToArray();
        var stored = await store.RegisterAsync(tid, participants, options.Value.MaxParticipantsPerTransaction, cancellationToken).ConfigureAwait(false)
            ?? throw new TransactionNotFoundException(tid);
        if (stored.Status != TransactionStatus.Active)
        {
            throw new TransactionConflictException(stored.ToInfo(), $"Transaction '{tid}' is {stored.Status}; tasks can only join an Active transaction.");
        }

        foreach (var task in resolved)
        {
            await store.UpdateTaskAsync(task.Id, task.Status, tid, cancellationToken).ConfigureAwait(false);
        }

        return stored.ToInfo();
    }

    private StoredTask BuildTask(TaskDefinition definition, string field)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new Dictionary<string, string[]>();
        CheckAction(definition.Confirm, $"{field}.actions.confirm", errors);
        CheckAction(definition.Cancel, $"{field}.actions.cancel", errors);
        var timeout = definition.Timeout ?? options.Value.DefaultTimeout;
        if (timeout <= TimeSpan.Zero || timeout > options.Value.MaxTimeout)
        {
            errors[$"{field}.timeout"] = [$"the timeout must be more than 0 and at most {options.Value.MaxTimeout.TotalMilliseconds:0} ms."];
        }

        if (definition.Payload is { Length: > 16 * 1024 })
        {
            errors[$"{field}.payload"] = ["the payload is larger than 16 KiB; store a reference to your state instead."];
        }

        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidParticipantLink, errors);
        }

        var now = timeProvider.GetUtcNow();
        return new StoredTask
        {
            Id = TransactionIds.New(),
            Confirm = definition.Confirm with { Method = definition.Confirm.Method.ToUpperInvariant() },
            Cancel = definition.Cancel with { Method = definition.Cancel.Method.ToUpperInvariant() },
            Payload = definition.Payload,
            Status = Pending,
            CreatedAt = now,
            ExpiresAt = now + timeout,
        };
    }

    private void CheckAction(ParticipantAction? action, string field, Dictionary<string, string[]> errors)
    {
        if (action is null)
        {
            errors[field] = ["the action is missing; send {\"type\":\"rest\",\"method\":\"PUT\",\"uri\":\"http://…\"}."];
            return;
        }

        if (!AllowedMethods.Contains(action.Method?.ToUpperInvariant()))
        {
            errors[field + ".method"] = [$"the method '{action.Method}' is not allowed; use PUT, DELETE or POST."];
        }

        if (linkPolicy.Check(action.Uri) is { } error)
        {
            errors[field + ".uri"] = [error];
        }

        if (action.Headers?.Count > 32)
        {
            errors[field + ".headers"] = ["at most 32 headers may be given."];
        }
    }

    private static void EnsureTaskId(string id, string field = "id")
    {
        if (!TransactionIds.IsWellFormed(id))
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, field, "a task id is 1-64 characters of letters, digits, '.', '_' or '-'.");
        }
    }

    private static TwistException TaskNotFound(string id) => new(TwistErrorCodes.TaskNotFound, $"No task has the id '{id}'. Create it with POST /api/v1/tasks first.");
}
