namespace Rosen.Manager.Security;

/// <summary>The manager's roles, each including the ones before it.</summary>
public static class RosenRoles
{
    /// <summary>May look at every page.</summary>
    public const string Viewer = "viewer";

    /// <summary>May also retry participants, force-cancel transactions and replay parked keys.</summary>
    public const string Operator = "operator";

    /// <summary>May also reset a read-model database from a snapshot (it empties the database first).</summary>
    public const string Admin = "admin";

    /// <summary>The role of a service that sends spans or registers (never a person).</summary>
    public const string Agent = "agent";

    public static bool IsKnown(string? role) => role is Viewer or Operator or Admin;
}
