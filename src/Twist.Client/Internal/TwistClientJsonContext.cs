using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twist.Client.Internal;

/// <summary>The source-generated JSON contract of the wire shapes the SDK reads and writes (no reflection, AOT safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TryAnswer))]
[JsonSerializable(typeof(BeginBody))]
[JsonSerializable(typeof(LinksBody))]
[JsonSerializable(typeof(TransactionBody))]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class TwistClientJsonContext : JsonSerializerContext;

/// <summary>A participant's Try answer [seed]: <c>{"tid","participantLink":{"uri","expires"}}</c>.</summary>
internal sealed record TryAnswer(string? Tid, LinkBody? ParticipantLink);

/// <summary>A participant link on the wire.</summary>
internal sealed record LinkBody(string? Uri, DateTimeOffset? Expires);

/// <summary>The body of <c>POST /api/v1/transactions</c>: the timeout in milliseconds.</summary>
internal sealed record BeginBody(long? Timeout);

/// <summary>The body of register (<c>PUT</c>) and confirm: <c>{"tid","participantLinks":[…]}</c>.</summary>
internal sealed record LinksBody(string? Tid, IReadOnlyList<LinkBody> ParticipantLinks);

/// <summary>A transaction as the REST API answers it; tolerant of the [compat] spellings.</summary>
internal sealed class TransactionBody
{
    public string? Tid { get; set; }

    [JsonPropertyName("transactionID")]
    public string? TransactionId { get; set; }

    public string? Status { get; set; }

    public string? Attention { get; set; }

    public DateTimeOffset? Expires { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? Created { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? Decided { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset? Completed { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? Reason { get; set; }

    public List<ParticipantBody>? Participants { get; set; }
}

/// <summary>A participant inside <see cref="TransactionBody"/>.</summary>
internal sealed class ParticipantBody
{
    public int? Id { get; set; }

    public string? Uri { get; set; }

    public DateTimeOffset? Expires { get; set; }

    public string? Status { get; set; }

    public int? Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? TaskId { get; set; }
}

/// <summary>An RFC 9457 problem with the Twist extensions (<c>code</c>, <c>errors</c>, <c>tid</c>, <c>transaction</c>).</summary>
internal sealed class ProblemBody
{
    public string? Type { get; set; }

    public string? Title { get; set; }

    public string? Detail { get; set; }

    public string? Code { get; set; }

    public string? Tid { get; set; }

    public Dictionary<string, string[]>? Errors { get; set; }

    public TransactionBody? Transaction { get; set; }
}
