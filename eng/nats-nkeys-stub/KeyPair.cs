using System;

namespace NATS.NKeys;

/// <summary>
/// Stub of the NATS.NKeys key pair: only the members NATS.Client.Core 3.3.2 calls, each throwing
/// <see cref="NotSupportedException"/>. NKey and JWT (creds file) authentication therefore fail with a clear message
/// instead of a missing-assembly error; every other NATS feature is unaffected.
/// </summary>
public sealed class KeyPair : IDisposable
{
    private const string Message =
        "NKey authentication is not available in this build; see README (NATS.Client.Core): this repository builds "
        + "against a stub NATS.NKeys package. Use user/password or token authentication, or reference the real NATS.NKeys.";

    private KeyPair()
    {
    }

    /// <summary>Would create a key pair from an encoded seed; always throws in this stub.</summary>
    /// <param name="seed">The encoded NKey seed.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public static KeyPair FromSeed(ReadOnlySpan<char> seed) => throw new NotSupportedException(Message);

    /// <summary>Would sign <paramref name="input"/> into <paramref name="output"/>; always throws in this stub.</summary>
    /// <param name="input">The data to sign.</param>
    /// <param name="output">The buffer for the signature.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Sign(ReadOnlyMemory<byte> input, Memory<byte> output) => throw new NotSupportedException(Message);

    /// <summary>Would return the encoded public key; always throws in this stub.</summary>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public string GetPublicKey() => throw new NotSupportedException(Message);

    /// <summary>Does nothing: the stub holds no key material.</summary>
    public void Dispose()
    {
    }
}
