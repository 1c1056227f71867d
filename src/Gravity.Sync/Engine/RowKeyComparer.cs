namespace Gravity.Sync.Engine;

/// <summary>
/// Compares (table, key text) pairs by hashing the key only: the tables of one batch are the same few strings (often
/// the same instance), so hashing them again for every row would only add time.
/// </summary>
internal sealed class RowKeyComparer : IEqualityComparer<(string Table, string Key)>
{
    public static RowKeyComparer Instance { get; } = new();

    public bool Equals((string Table, string Key) x, (string Table, string Key) y) =>
        string.Equals(x.Key, y.Key, StringComparison.Ordinal) && (ReferenceEquals(x.Table, y.Table) || string.Equals(x.Table, y.Table, StringComparison.Ordinal));

    public int GetHashCode((string Table, string Key) obj) => HashCode.Combine(obj.Table.Length, StringComparer.Ordinal.GetHashCode(obj.Key));
}
