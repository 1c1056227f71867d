using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

// Compiled into Twist.Coordinator.Host and Twist.Client (participants) from this one file: both serve REST and gRPC on
// one plain-http port, and neither should depend on the other for it.
namespace Twist.Hosting.Internal;

/// <summary>
/// Lets one plain-http port serve HTTP/1.1 (REST) and HTTP/2 with prior knowledge (gRPC, h2c). Kestrel picks the
/// protocol of a cleartext <see cref="HttpProtocols.Http1AndHttp2"/> endpoint without looking at the bytes, and always
/// picks HTTP/1.1 (there is no ALPN to ask). This connection middleware peeks at the first 24 bytes: when they are the
/// HTTP/2 client preface (RFC 9113 §3.4) it tells Kestrel "h2" through the same features the TLS middleware sets after
/// ALPN; anything else is left alone. Nothing is consumed from the connection.
/// </summary>
/// <remarks>
/// Kestrel then treats the connection like a TLS one for protocol selection only: requests keep the client's
/// <c>:scheme</c> (<c>http</c>) because the host sets <see cref="KestrelServerOptions.AllowAlternateSchemes"/>, and no
/// client certificate is ever reported. The alternative is to give gRPC its own HTTP/2-only endpoint
/// (<c>Kestrel:Endpoints:Grpc:Url</c>, <c>Kestrel:Endpoints:Grpc:Protocols=Http2</c>).
/// </remarks>
internal static class CleartextHttp2Detection
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    // A client that connects and sends nothing is left to Kestrel's own timeouts after this long.
    private static readonly TimeSpan PeekTimeout = TimeSpan.FromSeconds(10);

    public static void Use(ListenOptions listen)
    {
        listen.Use(next => async connection =>
        {
            if (listen.Protocols == HttpProtocols.Http1AndHttp2
                && connection.Features.Get<ITlsConnectionFeature>() is null
                && await StartsWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false))
            {
                connection.Features.Set<ITlsConnectionFeature>(PriorKnowledgeFeature.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(PriorKnowledgeFeature.Instance);
            }

            await next(connection).ConfigureAwait(false);
        });
    }

    private static async Task<bool> StartsWithPrefaceAsync(PipeReader input, CancellationToken connectionClosed)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
        timeout.CancelAfter(PeekTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            var buffer = result.Buffer;
            var matches = MatchesPreface(buffer, out var length);
            if (!matches || length == Preface.Length || result.IsCompleted || result.IsCanceled)
            {
                // Consume nothing and mark nothing examined, so Kestrel's first read sees the same bytes at once.
                input.AdvanceTo(buffer.Start);
                return matches && length == Preface.Length;
            }

            // A prefix of the preface so far: wait for more bytes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool MatchesPreface(in ReadOnlySequence<byte> buffer, out int length)
    {
        length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[Preface.Length];
        buffer.Slice(0, length).CopyTo(head);
        return head[..length].SequenceEqual(Preface.AsSpan(0, length));
    }

    private sealed class PriorKnowledgeFeature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static readonly PriorKnowledgeFeature Instance = new();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set => throw new NotSupportedException("A cleartext HTTP/2 connection has no client certificate.");
        }

        public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
