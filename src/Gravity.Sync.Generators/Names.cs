namespace Gravity.Sync.Generators;

/// <summary>
/// The naming rules the runtime applies, repeated here so a rule is rejected when it is compiled rather than when the
/// app starts. tests/Gravity.Sync.Generators.Tests checks that both sides agree.
/// </summary>
internal static class Names
{
    /// <summary>The rule of Gravity.Sync's Rules/Identifiers.cs, in the same words.</summary>
    public const string IdentifierRule = "letters, digits and _, starting with a letter or _, at most 63 characters";

    /// <summary>The column every view row carries (Identifiers.PositionColumn in Gravity.Sync).</summary>
    public const string PositionColumn = "_gravity_position";

    /// <summary>The same test as Gravity.Sync's <c>Identifiers.IsValid</c> (ASCII only, so SQLite, PostgreSQL and MySQL agree).</summary>
    public static bool IsValidIdentifier(string? name)
    {
        if (name is null || name.Length is 0 or > 63 || !(IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(IsAsciiLetter(c) || c is >= '0' and <= '9' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Converts a property name the way System.Text.Json's <c>JsonNamingPolicy.CamelCase</c> does (<c>UserId</c> →
    /// <c>userId</c>, <c>URL</c> → <c>url</c>, <c>IOStream</c> → <c>ioStream</c>), so payloads written by the generated
    /// ToGravityEvent() and by a camel-case JsonSerializerContext have the same field names.
    /// </summary>
    public static string CamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }

        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            bool hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');
}
