using System.Buffers;

namespace Twist.Coordinator.Engine;

/// <summary>Makes and checks transaction and task ids.</summary>
internal static class TransactionIds
{
    private static readonly SearchValues<char> Allowed = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>A version 7 GUID in hex: unique across instances and ordered by creation time, which keeps index inserts append-only.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");

    /// <summary>Ids are 1-64 characters of letters, digits, '.', '_' or '-': they appear in URLs, headers and logs.</summary>
    public static bool IsWellFormed(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && !id.AsSpan().ContainsAnyExcept(Allowed);
}
