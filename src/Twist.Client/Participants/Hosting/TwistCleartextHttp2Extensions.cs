using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Twist.Hosting.Internal;

namespace Twist.Participants;

/// <summary>
/// Serves a participant's REST Try (HTTP/1.1) and its gRPC Confirm/Cancel service (HTTP/2 with prior knowledge, what
/// gRPC clients send to a <c>grpc://</c> link) on the same plain-http port. Without it Kestrel speaks only HTTP/1.1 on
/// a cleartext endpoint, so <c>grpc://</c> links would need an HTTP/2-only endpoint of their own.
/// </summary>
/// <remarks>
/// Meant for ports behind a service mesh or inside a cluster network, where TLS ends before the service. With TLS,
/// ALPN already picks the protocol and this changes nothing for those endpoints.
/// </remarks>
public static class TwistCleartextHttp2Extensions
{
    /// <summary>
    /// Makes every Kestrel endpoint speak HTTP/1.1 and HTTP/2, and recognises the HTTP/2 client preface on plain-http
    /// connections (RFC 9113 §3.4), leaving every other connection to HTTP/1.1.
    /// </summary>
    /// <param name="builder">The web host builder (<c>WebApplicationBuilder.WebHost</c>).</param>
    /// <returns>The same builder.</returns>
    public static IWebHostBuilder UseTwistCleartextHttp2(this IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureKestrel(kestrel =>
        {
            // Requests on an h2c connection keep their http :scheme instead of being refused as not matching TLS.
            kestrel.AllowAlternateSchemes = true;
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                CleartextHttp2Detection.Use(listen);
            });
        });
    }
}
