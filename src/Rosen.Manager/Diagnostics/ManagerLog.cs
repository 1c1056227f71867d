namespace Rosen.Manager.Diagnostics;

/// <summary>
/// The manager's log messages. EventIds 6100-6199 belong to Rosen.Manager (6000-6099 to Rosen.Collector) and never
/// change meaning. No message carries a password hash, an agent key or an API key; the one-time admin password is
/// logged once, on purpose, so the first person can log in.
/// </summary>
internal static partial class ManagerLog
{
    [LoggerMessage(EventId = 6100, EventName = "BootstrapAdminCreated", Level = LogLevel.Warning,
        Message = "No users are configured (Rosen:Manager:Users). Log in once as '{Name}' with the one-time password {Password} and configure real users; this password changes on every start.")]
    public static partial void BootstrapAdminCreated(ILogger logger, string name, string password);

    [LoggerMessage(EventId = 6101, EventName = "AgentsClosed", Level = LogLevel.Warning,
        Message = "No agent keys are configured (Rosen:Manager:AgentKeys): OTLP ingestion and instance registration refuse every call until one is.")]
    public static partial void AgentsClosed(ILogger logger);

    [LoggerMessage(EventId = 6102, EventName = "AnonymousAgents", Level = LogLevel.Warning,
        Message = "Rosen:Manager:AllowAnonymousAgents is set: anyone who can reach the manager may send spans and register instances.")]
    public static partial void AnonymousAgents(ILogger logger);

    [LoggerMessage(EventId = 6103, EventName = "AgentKeyRejected", Level = LogLevel.Information,
        Message = "A request to {Path} presented an agent key that matches no configured key.")]
    public static partial void AgentKeyRejected(ILogger logger, PathString path);

    [LoggerMessage(EventId = 6104, EventName = "LoginSucceeded", Level = LogLevel.Information,
        Message = "User {User} logged in with role {Role}.")]
    public static partial void LoginSucceeded(ILogger logger, string user, string role);

    [LoggerMessage(EventId = 6105, EventName = "LoginFailed", Level = LogLevel.Warning,
        Message = "A login as {User} failed.")]
    public static partial void LoginFailed(ILogger logger, string user);

    [LoggerMessage(EventId = 6106, EventName = "OperatorAction", Level = LogLevel.Information,
        Message = "{Actor} ({Role}) {Action} {Target}: {Outcome}.")]
    public static partial void OperatorAction(ILogger logger, string actor, string role, string action, string target, string outcome);

    [LoggerMessage(EventId = 6107, EventName = "InstanceRegistered", Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Service} ({Kind}) registered at {Address}.")]
    public static partial void InstanceRegistered(ILogger logger, string instanceId, string service, Topology.InstanceKind kind, Uri address);

    [LoggerMessage(EventId = 6108, EventName = "InstanceHealthChanged", Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Service} is now {Health} ({Detail}).")]
    public static partial void InstanceHealthChanged(ILogger logger, string instanceId, string service, Topology.InstanceHealth health, string detail);

    [LoggerMessage(EventId = 6109, EventName = "OperatorApiFailed", Level = LogLevel.Warning,
        Message = "The operator API of {Target} failed: {Error}")]
    public static partial void OperatorApiFailed(ILogger logger, string target, string error);

    [LoggerMessage(EventId = 6110, EventName = "UnhandledException", Level = LogLevel.Error,
        Message = "Unexpected error while handling {Method} {Path}.")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);
}
