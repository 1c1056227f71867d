namespace Gravity.Sync.Nats.Internal;

/// <summary>Keeps credentials out of logs and messages.</summary>
internal static class Redaction
{
    /// <summary>The URL(s) with any user-info part (<c>user:password@</c> or <c>token@</c>) replaced by <c>***</c>.</summary>
    public static string Url(string? urls) =>
        string.Join(",", (urls ?? string.Empty).Split(',', StringSplitOptions.TrimEntries).Select(static url =>
        {
            var at = url.IndexOf('@', StringComparison.Ordinal);
            var scheme = url.IndexOf("://", StringComparison.Ordinal);
            return at > scheme && scheme >= 0 ? url[..(scheme + 3)] + "***" + url[at..] : url;
        }));

    /// <summary>Which kind of credentials are configured, never their values.</summary>
    public static string CredentialKind(string? token, string? username, string? url) =>
        token is not null ? "token"
        : username is not null ? "user/password"
        : url?.Contains('@', StringComparison.Ordinal) == true ? "in URL"
        : "none";
}
