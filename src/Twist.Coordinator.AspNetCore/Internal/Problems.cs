using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Twist.Errors;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Turns exceptions into RFC 9457 problem+json answers with a stable <c>type</c> and <c>code</c>.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";
    public const string TypeBase = "https://twist.dev/problems/";

    /// <summary>Maps an exception to a problem; <see langword="null"/> for errors that are bugs (answered 500).</summary>
    public static ProblemResponse? TryMap(Exception exception)
    {
        switch (exception)
        {
            case ApiProblemException api:
                return Create(api.StatusCode, api.Code, api.Message, errors: api.Errors);
            case TransactionConflictException conflict:
                var problem = Create(StatusCodes.Status409Conflict, conflict.Code, conflict.Message, conflict.Tid);
                problem.Transaction = ApiMapper.ToResponse(conflict.Transaction, success: false);
                return problem;
            case TwistValidationException validation:
                return Create(StatusFor(validation.Code, StatusCodes.Status400BadRequest), validation.Code, validation.Message, validation.Tid, validation.Errors);
            case TwistException twist:
                return Create(StatusFor(twist.Code, StatusCodes.Status400BadRequest), twist.Code, twist.Message, twist.Tid);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return Create(StatusCodes.Status413PayloadTooLarge, TwistErrorCodes.PayloadTooLarge, "The request body is larger than the configured limit (Twist:Api:MaxRequestBodySize).");
            case BadHttpRequestException bad:
                return Create(bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest, TwistErrorCodes.InvalidRequest, "The HTTP request is malformed: " + bad.Message);
            case JsonException json:
                return Create(StatusCodes.Status400BadRequest, TwistErrorCodes.InvalidRequest, "The request body is not valid JSON: " + json.Message);
            default:
                return null;
        }
    }

    /// <summary>The HTTP status of each stable code. too-many-participants is 422: the request is well-formed but exceeds a limit.</summary>
    public static int StatusFor(string code, int fallback) => code switch
    {
        TwistErrorCodes.InvalidRequest or TwistErrorCodes.InvalidParticipantLink => StatusCodes.Status400BadRequest,
        TwistErrorCodes.TransactionNotFound or TwistErrorCodes.TaskNotFound or TwistErrorCodes.ParticipantNotFound or ApiProblemCodes.RouteNotFound => StatusCodes.Status404NotFound,
        TwistErrorCodes.TransactionConflict => StatusCodes.Status409Conflict,
        TwistErrorCodes.TooManyParticipants => StatusCodes.Status422UnprocessableEntity,
        TwistErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        TwistErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        TwistErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        TwistErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ApiProblemCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ApiProblemCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ApiProblemCodes.InternalError => StatusCodes.Status500InternalServerError,
        _ => fallback,
    };

    public static ProblemResponse Create(int status, string code, string detail, string? tid = null, IReadOnlyDictionary<string, string[]>? errors = null) => new()
    {
        Type = TypeBase + code,
        Title = TitleFor(code),
        Status = status,
        Detail = detail,
        Code = code,
        Tid = tid,
        Errors = errors is { Count: > 0 } ? errors : null,
    };

    public static ProblemResponse InternalError() => Create(
        StatusCodes.Status500InternalServerError,
        ApiProblemCodes.InternalError,
        "An unexpected error occurred in the coordinator. It was logged; quote the traceId when you report it.");

    public static async Task WriteAsync(HttpContext context, ProblemResponse problem)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Too late for a problem document: the status line is on the wire. Abort so the client sees a failure.
            context.Abort();
            return;
        }

        // Headers set before the failure stay (WWW-Authenticate from a challenge, Allow from the fallback).
        response.StatusCode = problem.Status;
        problem.Instance ??= context.Request.Path.Value;
        problem.TraceId ??= Activity.Current?.Id ?? context.TraceIdentifier;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "5";
        }

        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(response.Body, problem, TwistApiJsonContext.Default.ProblemResponse, context.RequestAborted).ConfigureAwait(false);
    }

    private static string TitleFor(string code) => code switch
    {
        TwistErrorCodes.InvalidRequest => "The request is invalid.",
        TwistErrorCodes.InvalidParticipantLink => "A participant link is not acceptable.",
        TwistErrorCodes.TransactionNotFound => "The transaction was not found.",
        TwistErrorCodes.TransactionConflict => "The request conflicts with the transaction's state.",
        TwistErrorCodes.TooManyParticipants => "The transaction has too many participants.",
        TwistErrorCodes.ParticipantNotFound => "The participant was not found.",
        TwistErrorCodes.TaskNotFound => "The task was not found.",
        TwistErrorCodes.Unavailable => "The coordinator is unavailable.",
        TwistErrorCodes.PayloadTooLarge => "The request body is too large.",
        TwistErrorCodes.Unauthorized => "Authentication is required.",
        TwistErrorCodes.Forbidden => "The caller lacks the required role.",
        ApiProblemCodes.UnsupportedMediaType => "The request body must be JSON.",
        ApiProblemCodes.RouteNotFound => "No such API route.",
        ApiProblemCodes.MethodNotAllowed => "The HTTP method is not allowed on this route.",
        ApiProblemCodes.InternalError => "An unexpected error occurred.",
        _ => "The request failed.",
    };
}
