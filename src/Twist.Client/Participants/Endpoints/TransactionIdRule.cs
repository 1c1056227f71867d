using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Twist.Participants.Endpoints;

/// <summary>The coordinator's transaction id rule: 1-64 characters of letters, digits, '.', '_' or '-' (they appear in URLs, headers and logs).</summary>
internal static class TransactionIdRule
{
    private static readonly SearchValues<char> Allowed = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static bool IsWellFormed([NotNullWhen(true)] string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && !id.AsSpan().ContainsAnyExcept(Allowed);
}
