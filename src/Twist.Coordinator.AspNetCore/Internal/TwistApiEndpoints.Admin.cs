using System.Globalization;
using System.Security.Claims;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Twist.Coordinator.Operations;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.AspNetCore.Internal;

// The operator API under /api/v1/admin (role "operator"). The actor written to the audit log is the authenticated
// principal's name, never a value from the request.
internal sealed partial class TwistApiEndpoints
{
    private const int MaxPageSize = 500;
    private const int MaxContinuationTokenLength = 1024;

    private async Task AdminListAsync(HttpContext context)
    {
        var queryString = context.Request.Query;
        var errors = new Dictionary<string, string[]>();

        var statuses = new List<TransactionStatus>();
        foreach (var value in SplitValues(queryString["status"]))
        {
            if (TryParseEnum<TransactionStatus>(value, out var status))
            {
                statuses.Add(status);
            }
            else
            {
                RequestValidation.Add(errors, "status", $"'{RequestValidation.Shorten(value)}' is not a status; use {string.Join(", ", Enum.GetNames<TransactionStatus>())}.");
            }
        }

        TransactionAttention? attention = null;
        if (Single(queryString, "attention", errors) is { } attentionText)
        {
            if (TryParseEnum<TransactionAttention>(attentionText, out var parsed))
            {
                attention = parsed;
            }
            else
            {
                RequestValidation.Add(errors, "attention", $"'{RequestValidation.Shorten(attentionText)}' is not an attention flag; use {string.Join(", ", Enum.GetNames<TransactionAttention>())}.");
            }
        }

        DateTimeOffset? createdBefore = null;
        if (Single(queryString, "olderThan", errors) is { } olderThanText)
        {
            if (TryParseDuration(olderThanText, out var olderThan))
            {
                createdBefore = context.RequestServices.GetService<TimeProvider>()?.GetUtcNow() ?? DateTimeOffset.UtcNow;
                createdBefore -= olderThan;
            }
            else
            {
                RequestValidation.Add(errors, "olderThan", $"'{RequestValidation.Shorten(olderThanText)}' is not a duration; use hh:mm:ss (00:05:00) or ISO 8601 (PT5M), not negative.");
            }
        }

        var limit = ParseLimit(queryString, 50, errors);
        var token = Single(queryString, "continuationToken", errors);
        if (token is { Length: > MaxContinuationTokenLength } || token is { Length: 0 })
        {
            RequestValidation.Add(errors, "continuationToken", "The continuation token is not one this API returned.");
        }

        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, errors);
        }

        var query = new TransactionQuery
        {
            Statuses = statuses,
            Attention = attention,
            CreatedBefore = createdBefore,
            ContinuationToken = token,
            Limit = limit,
        };
        var page = await context.RequestServices.GetRequiredService<ITwistOperator>().ListAsync(query, context.RequestAborted).ConfigureAwait(false);
        var response = new TransactionListResponse
        {
            Items = page.Items.Select(ApiMapper.ToResponse).ToList(),
            ContinuationToken = page.ContinuationToken,
        };
        await WriteAsync(context, StatusCodes.Status200OK, response, TwistApiJsonContext.Default.TransactionListResponse).ConfigureAwait(false);
    }

    private async Task AdminGetAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");
        var details = await context.RequestServices.GetRequiredService<ITwistOperator>().GetDetailsAsync(tid, context.RequestAborted).ConfigureAwait(false);
        var response = new TransactionDetailsResponse
        {
            Transaction = ApiMapper.ToResponse(details.Transaction, success: null),
            Attempts = details.Attempts.Select(ApiMapper.ToResponse).ToList(),
            Audit = details.Audit.Select(ApiMapper.ToResponse).ToList(),
        };
        await WriteAsync(context, StatusCodes.Status200OK, response, TwistApiJsonContext.Default.TransactionDetailsResponse).ConfigureAwait(false);
    }

    private async Task AdminRetryAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");
        var participantId = RequireParticipantId(context, tid);
        var body = await ReadBodyAsync(context, TwistApiJsonContext.Default.OperatorActionBody).ConfigureAwait(false);
        var operatorContext = new OperatorContext(Actor(context.User), RequestValidation.RequireReason(body?.Reason, required: false));
        Log.OperatorAction(logger, operatorContext.Actor, "retry-participant", tid, participantId);
        var info = await context.RequestServices.GetRequiredService<ITwistOperator>()
            .RetryParticipantAsync(tid, participantId, operatorContext, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status200OK, ApiMapper.ToResponse(info, success: null), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private async Task AdminResolveAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");
        var participantId = RequireParticipantId(context, tid);
        var body = await ReadBodyAsync(context, TwistApiJsonContext.Default.OperatorActionBody).ConfigureAwait(false);
        var operatorContext = new OperatorContext(Actor(context.User), RequestValidation.RequireReason(body?.Reason, required: true));
        Log.OperatorAction(logger, operatorContext.Actor, "resolve-participant", tid, participantId);
        var info = await context.RequestServices.GetRequiredService<ITwistOperator>()
            .ResolveParticipantAsync(tid, participantId, operatorContext, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status200OK, ApiMapper.ToResponse(info, success: null), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private static int RequireParticipantId(HttpContext context, string tid)
    {
        var idText = RouteValue(context, "id");
        if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var participantId) || participantId < 1)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "id", $"'{RequestValidation.Shorten(idText)}' is not a participant number; participants are numbered from 1.") { Tid = tid };
        }

        return participantId;
    }

    private async Task AdminForceCancelAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");
        var body = await ReadBodyAsync(context, TwistApiJsonContext.Default.OperatorActionBody).ConfigureAwait(false);
        var operatorContext = new OperatorContext(Actor(context.User), RequestValidation.RequireReason(body?.Reason, required: true));
        Log.OperatorAction(logger, operatorContext.Actor, "force-cancel", tid, null);
        var info = await context.RequestServices.GetRequiredService<ITwistOperator>()
            .ForceCancelAsync(tid, operatorContext, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status200OK, ApiMapper.ToResponse(info, success: null), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private async Task AdminAuditAsync(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var tid = Single(context.Request.Query, "tid", errors);
        if (tid is not null && !RequestValidation.IsValidId(tid))
        {
            RequestValidation.Add(errors, "tid", $"'{RequestValidation.Shorten(tid)}' is not a valid transaction id.");
        }

        var limit = ParseLimit(context.Request.Query, 100, errors);
        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, errors);
        }

        var entries = await context.RequestServices.GetRequiredService<ITwistOperator>().ListAuditAsync(tid, limit, context.RequestAborted).ConfigureAwait(false);
        var response = new AuditListResponse { Items = entries.Select(ApiMapper.ToResponse).ToList() };
        await WriteAsync(context, StatusCodes.Status200OK, response, TwistApiJsonContext.Default.AuditListResponse).ConfigureAwait(false);
    }

    /// <summary>Returns the principal's name for the audit log: the API key name or the token's name/subject.</summary>
    internal static string Actor(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true } identity
            ? identity.Name ?? user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "unknown"
            : "anonymous";

    private static IEnumerable<string> SplitValues(StringValues values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? Single(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            RequestValidation.Add(errors, name, $"'{name}' is given {values.Count} times; give it once.");
            return null;
        }

        return values.Count == 0 ? null : values[0];
    }

    private static int ParseLimit(IQueryCollection query, int defaultValue, Dictionary<string, string[]> errors)
    {
        var text = Single(query, "limit", errors);
        if (text is null)
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxPageSize)
        {
            return limit;
        }

        RequestValidation.Add(errors, "limit", $"'{RequestValidation.Shorten(text)}' is not a valid limit; use 1 to {MaxPageSize}.");
        return defaultValue;
    }

    private static bool TryParseEnum<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        // Enum.TryParse also accepts numbers ("7") and lists ("A,B"); only a defined name is a valid value.
        value = default;
        return text.Length > 0 && char.IsLetter(text[0]) && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.StartsWith('P') || text.StartsWith('p'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text.ToUpperInvariant());
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            return false;
        }

        return duration >= TimeSpan.Zero && duration <= TimeSpan.FromDays(36500);
    }
}
