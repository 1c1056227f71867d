using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Twist.Errors;

namespace Twist.Coordinator.PostgreSql;

/// <summary>
/// The opaque keyset cursor of <see cref="PostgreSqlTransactionStore.QueryAsync"/>: the creation time and id of the
/// last row of the page, so the next page starts strictly after it even while new transactions arrive.
/// </summary>
/// <remarks>Encoded as the SQLite store encodes its cursor, so an operator's token stays valid when a deployment moves stores.</remarks>
internal readonly record struct PostgreSqlContinuationToken(long CreatedAtMs, string Tid)
{
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs);

    public static PostgreSqlContinuationToken After(Twist.Coordinator.Storage.StoredTransaction last) =>
        new(last.CreatedAt.ToUnixTimeMilliseconds(), last.Tid);

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CreatedAtMs}:{Tid}")));

    /// <exception cref="TwistValidationException">The token was not produced by <see cref="Encode"/>.</exception>
    public static PostgreSqlContinuationToken Decode(string token)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        // The tid may itself contain ':'; the number before the first one cannot.
        var separator = text.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            && long.TryParse(text.AsSpan(0, separator), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var createdAt)
            && createdAt >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds()
            && createdAt <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            && separator < text.Length - 1
            ? new PostgreSqlContinuationToken(createdAt, text[(separator + 1)..])
            : throw Invalid();
    }

    private static TwistValidationException Invalid() => new(
        TwistErrorCodes.InvalidRequest,
        "continuationToken",
        "The continuation token is not valid. Pass the token from the previous page unchanged, or omit it to start from the newest transaction.");
}
