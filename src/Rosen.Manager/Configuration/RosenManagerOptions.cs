namespace Rosen.Manager.Configuration;

/// <summary>The manager's settings (configuration section <c>Rosen:Manager</c>).</summary>
public sealed class RosenManagerOptions
{
    public const string SectionName = "Rosen:Manager";

    /// <summary>Gets or sets the folder of the manager's SQLite files (spans, audit log).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Gets or sets a PostgreSQL connection string; when set, spans are stored there instead of in SQLite.</summary>
    public string? PostgreSqlConnectionString { get; set; }

    /// <summary>Gets or sets the PostgreSQL schema of the span tables.</summary>
    public string PostgreSqlSchema { get; set; } = "rosen";

    /// <summary>Gets the people who may log in. Empty: a one-time admin password is generated and logged once.</summary>
    public List<ManagerUser> Users { get; } = [];

    /// <summary>Gets the keys that services present to send spans and register (<c>Authorization: Bearer</c> or <c>X-Rosen-Key</c>).</summary>
    public List<AgentKey> AgentKeys { get; } = [];

    /// <summary>Gets or sets a value indicating whether anyone may send spans and register without a key (development only).</summary>
    public bool AllowAnonymousAgents { get; set; }

    /// <summary>Gets the coordinators whose operator API the manager uses (status, attempts, retry, force-cancel).</summary>
    public List<CoordinatorEndpoint> Coordinators { get; } = [];

    /// <summary>Gets the synchronizers whose operator API the manager uses (status, parked keys, replay).</summary>
    public List<SynchronizerEndpoint> Synchronizers { get; } = [];

    /// <summary>Gets or sets how often every instance's health endpoint is probed.</summary>
    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long one health probe may take.</summary>
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long an instance stays listed without a heartbeat; it is shown as stale after a third of it.</summary>
    public TimeSpan InstanceExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how far back the topology and sync pages look in the collected spans.</summary>
    public TimeSpan TopologyWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a login lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Gets or sets how long a call to a coordinator or synchronizer operator API may take.</summary>
    public TimeSpan OperatorCallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>A person who may log in.</summary>
public sealed class ManagerUser
{
    /// <summary>Gets or sets the login name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the ASP.NET Core Identity password hash (PBKDF2); make one with <c>Rosen.Manager hash-password</c>.</summary>
    public string PasswordHash { get; set; } = string.Empty;

    /// <summary>Gets or sets the role: <c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = string.Empty;
}

/// <summary>A key that a service presents to send spans and register.</summary>
public sealed class AgentKey
{
    /// <summary>Gets or sets a name for the key holder, shown in logs (never the key).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the key, at least 16 characters.</summary>
    public string Key { get; set; } = string.Empty;
}

/// <summary>A coordinator's operator API.</summary>
public sealed class CoordinatorEndpoint
{
    /// <summary>Gets or sets the name shown in the UI.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the coordinator's base address, e.g. <c>http://coordinator:5080</c>.</summary>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets an API key with the coordinator's <c>operator</c> role.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>Gets or sets the health path probed.</summary>
    public string HealthPath { get; set; } = "/healthz";
}

/// <summary>A synchronizer's operator API (Gravity.Sync's <c>MapGravitySyncOperatorApi</c>).</summary>
public sealed class SynchronizerEndpoint
{
    /// <summary>Gets or sets the name shown in the UI.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the operator API's base address, e.g. <c>http://sync:5090/gravity</c>.</summary>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets the key sent as <c>X-Api-Key</c>.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>Gets or sets the health URL probed, relative to the host, or empty for none.</summary>
    public string HealthPath { get; set; } = "/healthz";
}
