namespace Gravity.Sync.Rules;

/// <summary>
/// The names Gravity accepts for tables and columns. Identifiers are always quoted in SQL, but keeping them to a
/// portable alphabet means a rule works the same on SQLite, PostgreSQL (63-byte names) and MySQL.
/// </summary>
internal static class Identifiers
{
    public const string Rule = "letters, digits and _, starting with a letter or _, at most 63 characters";

    /// <summary>The column every view row carries: the source position of the event that last wrote it.</summary>
    public const string PositionColumn = "_gravity_position";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
