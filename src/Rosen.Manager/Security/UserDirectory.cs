using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Security;

/// <summary>
/// The people who may log in: the configured users, or, when none is configured, one <c>admin</c> whose random
/// password is written to the log once at start-up and lives only in memory (a new one on every start).
/// </summary>
public sealed class UserDirectory
{
    public const string BootstrapUserName = "admin";

    // Compared against when the name is unknown, so a wrong name costs the same time as a wrong password.
    private static readonly string DummyHash = PasswordHashes.Hash(Guid.NewGuid().ToString());

    private readonly Dictionary<string, ManagerUser> users;

    public UserDirectory(IOptions<RosenManagerOptions> options, ILogger<UserDirectory> logger)
    {
        users = options.Value.Users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
        if (users.Count == 0)
        {
            var password = RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 24);
            users[BootstrapUserName] = new ManagerUser { Name = BootstrapUserName, PasswordHash = PasswordHashes.Hash(password), Role = RosenRoles.Admin };
            IsBootstrap = true;
            ManagerLog.BootstrapAdminCreated(logger, BootstrapUserName, password);
        }
    }

    /// <summary>Gets a value indicating whether the only user is the generated one-time admin.</summary>
    public bool IsBootstrap { get; }

    /// <summary>Checks a name and password; answers the user's canonical name and role when they match.</summary>
    public bool TryVerify(string? name, string? password, out string canonicalName, out string role)
    {
        canonicalName = string.Empty;
        role = string.Empty;
        if (string.IsNullOrEmpty(password) || password.Length > 1024)
        {
            return false;
        }

        if (string.IsNullOrEmpty(name) || !users.TryGetValue(name, out var user))
        {
            _ = PasswordHashes.Verify(DummyHash, password);
            return false;
        }

        if (!PasswordHashes.Verify(user.PasswordHash, password))
        {
            return false;
        }

        canonicalName = user.Name;
        role = user.Role;
        return true;
    }
}
