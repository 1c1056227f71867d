using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// The API's log messages. EventIds 2000-2099 belong to Twist.Coordinator.AspNetCore and never change meaning.
/// No message carries a secret: API keys, tokens and request bodies are never logged.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "AnonymousAccessEnabled", Level = LogLevel.Warning,
        Message = "The Twist API runs WITHOUT authentication (Twist:Api:AllowAnonymous=true). Anyone who can reach it can confirm, cancel and force-cancel transactions; configure Twist:Api:ApiKeys or Twist:Api:Jwt for production.")]
    public static partial void AnonymousAccessEnabled(ILogger logger);

    [LoggerMessage(EventId = 2001, EventName = "UnhandledException", Level = LogLevel.Error,
        Message = "Unexpected error while handling {Method} {Path}; answered 500 problem+json.")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 2002, EventName = "ApiKeyRejected", Level = LogLevel.Information,
        Message = "A request to {Path} presented an API key that matches no configured key.")]
    public static partial void ApiKeyRejected(ILogger logger, string path);

    [LoggerMessage(EventId = 2003, EventName = "OperatorAction", Level = LogLevel.Information,
        Message = "Operator {Actor} requested {Action} on transaction {Tid} (participant {ParticipantId}).")]
    public static partial void OperatorAction(ILogger logger, string actor, string action, string tid, int? participantId);

    [LoggerMessage(EventId = 2004, EventName = "RequestRejected", Level = LogLevel.Debug,
        Message = "{Method} {Path} answered {StatusCode} {Code}.")]
    public static partial void RequestRejected(ILogger logger, string method, string path, int statusCode, string code);

    [LoggerMessage(EventId = 2005, EventName = "JwtRejected", Level = LogLevel.Information,
        Message = "A request to {Path} presented a bearer token that failed validation: {Reason}.")]
    public static partial void JwtRejected(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 2006, EventName = "ApiMapped", Level = LogLevel.Information,
        Message = "Twist API mapped: REST under {Prefix}, gRPC {Grpc}, operator API {Operator}, compat routes {Compat}; authentication: {ApiKeyCount} API key(s), JWT {Jwt}.")]
    public static partial void ApiMapped(ILogger logger, string prefix, bool grpc, bool @operator, bool compat, int apiKeyCount, bool jwt);

    [LoggerMessage(EventId = 2007, EventName = "GrpcCallFailed", Level = LogLevel.Error,
        Message = "Unexpected error in gRPC call {Method}; answered INTERNAL.")]
    public static partial void GrpcCallFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 2008, EventName = "CoordinatorUnavailable", Level = LogLevel.Warning,
        Message = "{Method} {Path} answered 503: the coordinator is unavailable ({Reason}).")]
    public static partial void CoordinatorUnavailable(ILogger logger, string method, string path, string reason);
}
