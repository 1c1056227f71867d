using System.Text.RegularExpressions;
using Twist.Coordinator.Compat;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Validates request values the JSON shape cannot express (id formats, URIs, timeouts, headers) and converts them to
/// coordinator types. Every problem is collected and reported at once, keyed by field path.
/// </summary>
internal static partial class RequestValidation
{
    /// <summary>The longest reason an operator may give.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>The longest participant link or task action URI accepted before the coordinator's own (configurable) check.</summary>
    private const int MaxUriLength = 8192;

    private static readonly string[] AllowedMethods = ["PUT", "DELETE", "POST"];

    // Task action headers are forwarded to participants, so header names must be tokens and values must not contain
    // control characters (no header injection); framing and hop-by-hop headers belong to the coordinator.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer", "Keep-Alive",
        "Proxy-Connection", "Expect",
    };

    /// <summary>Throws 400 when <paramref name="value"/> is not a valid transaction or task id.</summary>
    public static string RequireId(string? value, string field)
    {
        if (value is null || !IdPattern().IsMatch(value))
        {
            throw new TwistValidationException(
                TwistErrorCodes.InvalidRequest,
                field,
                $"'{Shorten(value)}' is not a valid id; ids are 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'.");
        }

        return value;
    }

    public static bool IsValidId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>Converts a timeout in milliseconds; null stays null (the coordinator's default).</summary>
    public static TimeSpan? ToTimeout(long? milliseconds, TimeSpan maxTimeout, string field, Dictionary<string, string[]>? errors = null)
    {
        if (milliseconds is null)
        {
            return null;
        }

        string? error = null;
        if (milliseconds <= 0)
        {
            error = $"{milliseconds} is not a valid timeout; give a positive number of milliseconds, or omit it for the default.";
        }
        else if (milliseconds > maxTimeout.TotalMilliseconds)
        {
            error = $"{milliseconds} ms is longer than the coordinator's maximum of {(long)maxTimeout.TotalMilliseconds} ms (Twist:Coordinator:MaxTimeout).";
        }

        if (error is null)
        {
            return TimeSpan.FromMilliseconds(milliseconds.Value);
        }

        if (errors is null)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, field, error);
        }

        Add(errors, field, error);
        return null;
    }

    public static List<ParticipantLink> ToLinks(List<ParticipantLinkModel>? links)
    {
        var result = new List<ParticipantLink>(links?.Count ?? 0);
        if (links is null)
        {
            return result;
        }

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            var field = $"participantLinks[{i}]";
            if (link is null)
            {
                Add(errors, field, "The link is null; send {\"uri\": \"http://...\", \"expires\": \"2030-01-01T00:00:00Z\"}.");
                continue;
            }

            if (TryParseUri(link.Uri, allowGrpc: true, out var uri, out var error))
            {
                result.Add(new ParticipantLink(uri!, link.Expires));
            }
            else
            {
                Add(errors, field + ".uri", error);
            }
        }

        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidParticipantLink, errors);
        }

        return result;
    }

    public static List<TaskRegistration> ToTaskRegistrations(List<TaskModel>? tasks, TimeSpan maxTimeout)
    {
        var result = new List<TaskRegistration>(tasks?.Count ?? 0);
        if (tasks is null)
        {
            return result;
        }

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            var field = $"tasks[{i}]";
            if (task is null)
            {
                Add(errors, field, "The task is null; send the task object returned by POST /api/v1/tasks.");
                continue;
            }

            if (task.Id is not null && !IsValidId(task.Id))
            {
                Add(errors, field + ".id", $"'{Shorten(task.Id)}' is not a valid task id.");
            }

            TaskDefinition? definition = null;
            if (task.Actions is not null)
            {
                definition = ToDefinition(task, field, maxTimeout, errors);
            }
            else if (task.Id is null)
            {
                Add(errors, field, "The task has neither an id nor actions; send the task object returned by POST /api/v1/tasks.");
            }

            result.Add(new TaskRegistration(task.Id, definition));
        }

        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, errors);
        }

        return result;
    }

    public static TaskDefinition ToDefinition(TaskModel? task, string field, TimeSpan maxTimeout)
    {
        var errors = new Dictionary<string, string[]>();
        if (task is null)
        {
            Add(errors, field, "The task is required: send {\"task\": {\"actions\": {\"confirm\": {...}, \"cancel\": {...}}, \"payload\": \"...\", \"timeout\": 30000}}.");
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, errors);
        }

        if (task.Actions is null)
        {
            Add(errors, field + ".actions", "The actions are required: {\"confirm\": {\"method\": \"PUT\", \"uri\": \"...\"}, \"cancel\": {...}}.");
        }

        var definition = ToDefinition(task, field, maxTimeout, errors);
        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, errors);
        }

        return definition!;
    }

    public static string? RequireReason(string? reason, bool required)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            if (required)
            {
                throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "reason", "A reason is required for this action (it is written to the audit log): send {\"reason\": \"...\"}.");
            }

            return null;
        }

        if (reason.Length > MaxReasonLength)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "reason", $"The reason is {reason.Length} characters; the limit is {MaxReasonLength}.");
        }

        return reason.Trim();
    }

    private static TaskDefinition? ToDefinition(TaskModel task, string field, TimeSpan maxTimeout, Dictionary<string, string[]> errors)
    {
        var confirm = ToAction(task.Actions?.Confirm, field + ".actions.confirm", errors);
        var cancel = ToAction(task.Actions?.Cancel, field + ".actions.cancel", errors);
        var timeout = ToTimeout(task.Timeout, maxTimeout, field + ".timeout", errors);
        return confirm is null || cancel is null ? null : new TaskDefinition(confirm, cancel, task.Payload, timeout);
    }

    private static ParticipantAction? ToAction(TaskActionModel? action, string field, Dictionary<string, string[]> errors)
    {
        if (action is null)
        {
            Add(errors, field, "The action is required: {\"type\": \"rest\", \"method\": \"PUT\", \"uri\": \"http://...\"}.");
            return null;
        }

        var ok = true;
        if (action.Type is not null && !string.Equals(action.Type, "rest", StringComparison.OrdinalIgnoreCase))
        {
            Add(errors, field + ".type", $"'{Shorten(action.Type)}' is not a supported action type; the only type is \"rest\".");
            ok = false;
        }

        var method = action.Method?.ToUpperInvariant();
        if (method is null || Array.IndexOf(AllowedMethods, method) < 0)
        {
            Add(errors, field + ".method", $"'{Shorten(action.Method)}' is not a supported method; use PUT, DELETE or POST.");
            ok = false;
        }

        if (!TryParseUri(action.Uri, allowGrpc: false, out var uri, out var uriError))
        {
            Add(errors, field + ".uri", uriError);
            ok = false;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in action.Headers ?? [])
        {
            if (!HeaderNamePattern().IsMatch(name) || ReservedHeaders.Contains(name))
            {
                Add(errors, $"{field}.headers", $"'{Shorten(name)}' is not an allowed header name.");
                ok = false;
            }
            else if (value is null || value.Any(c => (c < 0x20 && c != '\t') || c == 0x7F))
            {
                Add(errors, $"{field}.headers.{name}", "The header value must be a string without control characters.");
                ok = false;
            }
            else
            {
                headers[name] = value;
            }
        }

        return ok ? new ParticipantAction(method!, uri!, headers) : null;
    }

    private static bool TryParseUri(string? value, bool allowGrpc, out Uri? uri, out string error)
    {
        uri = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "The URI is required.";
            return false;
        }

        if (value.Length > MaxUriLength)
        {
            error = $"The URI is {value.Length} characters; the limit is {MaxUriLength}.";
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out uri)
            || !(uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || (allowGrpc && uri.Scheme is "grpc" or "grpcs")))
        {
            uri = null;
            error = $"'{Shorten(value)}' is not an absolute {(allowGrpc ? "http, https, grpc or grpcs" : "http or https")} URI; send e.g. http://bank.internal/transaction/42.";
            return false;
        }

        return true;
    }

    public static void Add(Dictionary<string, string[]> errors, string field, string error) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, error] : [error];

    public static string Shorten(string? value) => value is null ? "null" : value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "...");

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\A[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNamePattern();
}
