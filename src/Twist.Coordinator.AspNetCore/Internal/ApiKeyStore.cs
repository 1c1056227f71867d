using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Holds SHA-256 digests of the configured API keys and finds the one a request presents in constant time: every key
/// is compared, with <see cref="CryptographicOperations.FixedTimeEquals"/>, whether or not an earlier one matched.
/// </summary>
internal sealed class ApiKeyStore
{
    private readonly (byte[] Digest, TwistApiKey Key)[] keys;

    public ApiKeyStore(IOptions<TwistApiOptions> options)
    {
        keys = options.Value.ApiKeys
            .Where(k => !string.IsNullOrEmpty(k.Key))
            .Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k))
            .ToArray();
    }

    public int Count => keys.Length;

    public TwistApiKey? Find(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        TwistApiKey? found = null;
        foreach (var (candidate, key) in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, digest) && found is null)
            {
                found = key;
            }
        }

        return found;
    }
}
