using System.Buffers;

namespace Gravity.Sync.Nats.Internal;

/// <summary>What NATS accepts in subjects, stream names and consumer names.</summary>
internal static class NatsNames
{
    private static readonly SearchValues<char> NotInSubjectToken = SearchValues.Create("*> \t\r\n");
    private static readonly SearchValues<char> NotInName = SearchValues.Create(".*> \t\r\n/\\");

    /// <summary>Dot-separated, non-empty tokens without wildcards or whitespace.</summary>
    public static bool IsSubject(string? subject) =>
        !string.IsNullOrEmpty(subject) && subject.Split('.').All(t => t.Length > 0 && !t.AsSpan().ContainsAny(NotInSubjectToken));

    /// <summary>A stream or durable consumer name.</summary>
    public static bool IsName(string? name) => !string.IsNullOrEmpty(name) && !name.AsSpan().ContainsAny(NotInName);

    /// <summary>Letters, digits, '-' and '_': safe as a key-value bucket name and as one token of a key.</summary>
    public static bool IsKeyToken(string? text) => !string.IsNullOrEmpty(text) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Turns any text (an event, database or table name) into subject tokens; headers carry the exact text.</summary>
    public static string Token(string text)
    {
        if (text.Length == 0)
        {
            return "_";
        }

        return string.Create(text.Length, text, static (span, value) =>
        {
            for (var i = 0; i < value.Length; i++)
            {
                span[i] = value[i] is '*' or '>' or ' ' or '\t' or '\r' or '\n' ? '_' : value[i];
            }
        }).Replace("..", "._.", StringComparison.Ordinal).Trim('.') is { Length: > 0 } token ? token : "_";
    }
}
