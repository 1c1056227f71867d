using System.Text;

namespace Gravity.Sync.Engine;

/// <summary>
/// Assigns a row key to a partition: FNV-1a over the table and key text, then a jump consistent hash (as the original
/// Gravity did), so changing the partition count moves as few keys as possible. Stable across processes and runs.
/// </summary>
internal static class PartitionHash
{
    public static int Of(string table, string? key, int partitions)
    {
        if (partitions <= 1)
        {
            return 0;
        }

        var hash = 14695981039346656037UL;
        Mix(ref hash, table);
        hash = (hash ^ 0xFF) * 1099511628211UL; // separator, so ("ab","c") and ("a","bc") differ
        Mix(ref hash, key ?? string.Empty);
        return JumpConsistentHash(hash, partitions);
    }

    private static void Mix(ref ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        ReadOnlySpan<byte> bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
    }

    // Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014).
    private static int JumpConsistentHash(ulong key, int buckets)
    {
        long b = -1, j = 0;
        while (j < buckets)
        {
            b = j;
            key = (key * 2862933555777941757UL) + 1;
            j = (long)((b + 1) * ((double)(1L << 31) / ((key >> 33) + 1)));
        }

        return (int)b;
    }
}
