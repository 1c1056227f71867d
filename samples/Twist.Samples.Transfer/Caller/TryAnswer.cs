using System.Net.Http.Json;
using System.Text.Json;

namespace Twist.Samples.Transfer.Caller;

/// <summary>What a participant answered to a Try: accepted (its link is now registered with the transaction), or why not.</summary>
/// <param name="Accepted">Whether the participant reserved.</param>
/// <param name="Reason">The refusal, e.g. <c>409 insufficient-funds: USER1 has $900 available, $5000 needed.</c>.</param>
internal sealed record TryAnswer(bool Accepted, string? Reason)
{
    /// <summary>Reads a Try's response. The participant link in a 2xx answer was already registered by the propagation handler.</summary>
    public static async Task<TryAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return new TryAnswer(true, null);
        }

        string? code = null, detail = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page, say): the status says enough.
        }

        return new TryAnswer(false, $"{(int)response.StatusCode} {code}: {detail}".TrimEnd(' ', ':'));
    }
}
