using System.Globalization;
using Twist.Protocol;

namespace Twist.Docs.Snippets;

public static class ProtocolSnippets
{
    /// <summary>A participant written without the Twist participant runtime checks the coordinator's signature itself.</summary>
    public static void MapConfirm(WebApplication app, Uri publicBaseAddress, byte[] hmacKey)
    {
        #region snippet: verify-coordinator-signature
        app.MapPut("/transaction/{tid}", (HttpRequest request, string tid) =>
        {
            // The coordinator signs the link as your Try answered it, in System.Uri.AbsoluteUri form.
            var link = new Uri(publicBaseAddress, "/transaction/" + tid).AbsoluteUri;
            var signed = long.TryParse(request.Headers[TwistHeaders.SignatureTimestamp], NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds)
                && TwistSignature.Verify(
                    hmacKey, request.Method, link, tid, TwistHeaders.PhaseConfirm, unixSeconds,
                    request.Headers[TwistHeaders.Signature].ToString(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            if (!signed)
            {
                return Results.Unauthorized(); // retried, then parked: fix the key and retry the participant as an operator
            }

            // Apply the reservation idempotently: 2xx = done, 404 = nothing to confirm, 409 = already cancelled.
            return Results.Ok();
        });
        #endregion
    }
}
