using Microsoft.AspNetCore.Identity;
using Rosen.Manager.Configuration;

namespace Rosen.Manager.Security;

/// <summary>ASP.NET Core Identity's PBKDF2 password hashes (format v3: HMAC-SHA512, 100 000 iterations, 128-bit salt).</summary>
public static class PasswordHashes
{
    private static readonly PasswordHasher<ManagerUser> Hasher = new();

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(new ManagerUser(), password);
    }

    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(new ManagerUser(), hash, password) != PasswordVerificationResult.Failed;

    /// <summary>Tells a v3 hash from anything else (for example a plain-text password pasted into the configuration).</summary>
    public static bool LooksValid(string? hash)
    {
        if (string.IsNullOrEmpty(hash))
        {
            return false;
        }

        var bytes = new byte[hash.Length];
        return Convert.TryFromBase64String(hash, bytes, out var length) && length >= 13 + 16 + 32 && bytes[0] == 0x01;
    }
}
