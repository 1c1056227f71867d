using System.Text.Json.Serialization;
using Twist.Transactions;

namespace Twist.Coordinator.AspNetCore.Internal;

// Wire shapes of the REST API (specs/twist-protocol.md). Request types are lenient about unknown members, because
// Brobridge v1 clients send the task object back exactly as they received it; they are strict about types.

/// <summary><c>POST /api/v1/transactions</c>.</summary>
internal sealed class BeginBody
{
    /// <summary>Gets or sets the timeout in milliseconds.</summary>
    public long? Timeout { get; set; }
}

/// <summary>A seed participant link.</summary>
internal sealed class ParticipantLinkModel
{
    public required string Uri { get; set; }

    public required DateTimeOffset Expires { get; set; }
}

/// <summary><c>PUT /api/v1/transactions/{tid}</c>: seed links and/or Brobridge v1 tasks.</summary>
internal sealed class RegisterBody
{
    public List<ParticipantLinkModel>? ParticipantLinks { get; set; }

    public List<TaskModel>? Tasks { get; set; }
}

/// <summary><c>POST /api/v1/transactions/{tid}/confirm</c>.</summary>
internal sealed class ConfirmBody
{
    public string? Tid { get; set; }

    public List<ParticipantLinkModel>? ParticipantLinks { get; set; }

    public List<TaskModel>? Tasks { get; set; }
}

/// <summary><c>POST /api/v1/tasks</c>.</summary>
internal sealed class CreateTaskBody
{
    public TaskModel? Task { get; set; }
}

/// <summary>A Brobridge v1 task as clients send it: an id, inline actions, or both.</summary>
internal sealed class TaskModel
{
    public string? Id { get; set; }

    public TaskActionsModel? Actions { get; set; }

    public string? Payload { get; set; }

    public long? Timeout { get; set; }
}

internal sealed class TaskActionsModel
{
    public TaskActionModel? Confirm { get; set; }

    public TaskActionModel? Cancel { get; set; }
}

internal sealed class TaskActionModel
{
    public string? Type { get; set; }

    public string? Method { get; set; }

    public string? Uri { get; set; }

    public Dictionary<string, string>? Headers { get; set; }
}

/// <summary>The optional body of operator actions.</summary>
internal sealed class OperatorActionBody
{
    public string? Reason { get; set; }
}

/// <summary>A transaction as the REST API returns it.</summary>
internal sealed class TransactionResponse
{
    /// <summary>Gets or sets the Brobridge v1 success flag; null (omitted) on operator answers.</summary>
    public bool? Success { get; set; }

    public required string Tid { get; set; }

    /// <summary>Gets the Brobridge v1 spelling of <see cref="Tid"/>.</summary>
    [JsonPropertyName("transactionID")]
    public string TransactionId => Tid;

    public required TransactionStatus Status { get; set; }

    public required TransactionAttention Attention { get; set; }

    public required DateTimeOffset Expires { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? Reason { get; set; }

    public List<ParticipantResponse>? Participants { get; set; }
}

internal sealed class ParticipantResponse
{
    public required int Id { get; set; }

    public required string Uri { get; set; }

    public required DateTimeOffset Expires { get; set; }

    public required ParticipantStatus Status { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? TaskId { get; set; }
}

internal sealed class TaskResponse
{
    public required string Id { get; set; }

    public required TaskActionsResponse Actions { get; set; }

    public string? Payload { get; set; }

    public required string Status { get; set; }

    public string? Tid { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required DateTimeOffset Expires { get; set; }
}

internal sealed class TaskActionsResponse
{
    public required TaskActionResponse Confirm { get; set; }

    public required TaskActionResponse Cancel { get; set; }
}

internal sealed class TaskActionResponse
{
    public string Type { get; set; } = "rest";

    public required string Method { get; set; }

    public required string Uri { get; set; }

    public Dictionary<string, string>? Headers { get; set; }
}

internal sealed class TransactionListResponse
{
    public required List<TransactionResponse> Items { get; set; }

    public string? ContinuationToken { get; set; }
}

internal sealed class TransactionDetailsResponse
{
    public required TransactionResponse Transaction { get; set; }

    public required List<AttemptResponse> Attempts { get; set; }

    public required List<AuditResponse> Audit { get; set; }
}

internal sealed class AttemptResponse
{
    public required int ParticipantId { get; set; }

    public required string Phase { get; set; }

    public required DateTimeOffset At { get; set; }

    public double DurationMs { get; set; }

    public required ParticipantStatus ResultStatus { get; set; }

    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    public int AttemptNumber { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }
}

internal sealed class AuditResponse
{
    public long Id { get; set; }

    public required DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string Tid { get; set; }

    public int? ParticipantId { get; set; }

    public string? Reason { get; set; }

    public required string Outcome { get; set; }
}

internal sealed class AuditListResponse
{
    public required List<AuditResponse> Items { get; set; }
}

/// <summary>An RFC 9457 problem with the Twist extensions.</summary>
internal sealed class ProblemResponse
{
    public required string Type { get; set; }

    public required string Title { get; set; }

    public required int Status { get; set; }

    public string? Detail { get; set; }

    public string? Instance { get; set; }

    /// <summary>Gets or sets the stable error code (<c>TwistErrorCodes</c> or <see cref="ApiProblemCodes"/>).</summary>
    public required string Code { get; set; }

    public string? Tid { get; set; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; set; }

    public TransactionResponse? Transaction { get; set; }

    public string? TraceId { get; set; }

    /// <summary>Gets or sets the Brobridge v1 success flag, always false on a problem.</summary>
    public bool Success { get; set; }
}

internal sealed class HealthResponse
{
    public required string Status { get; set; }
}

[JsonSourceGenerationOptions(
    System.Text.Json.JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(BeginBody))]
[JsonSerializable(typeof(RegisterBody))]
[JsonSerializable(typeof(ConfirmBody))]
[JsonSerializable(typeof(CreateTaskBody))]
[JsonSerializable(typeof(OperatorActionBody))]
[JsonSerializable(typeof(TransactionResponse))]
[JsonSerializable(typeof(TaskResponse))]
[JsonSerializable(typeof(TransactionListResponse))]
[JsonSerializable(typeof(TransactionDetailsResponse))]
[JsonSerializable(typeof(AuditListResponse))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class TwistApiJsonContext : JsonSerializerContext
{
}
