using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Operations;

/// <summary>Calls the configured coordinators' operator API (<c>/api/v1/admin</c>) with their operator API keys.</summary>
public sealed class CoordinatorDirectory(IHttpClientFactory httpClientFactory, IOptions<RosenManagerOptions> options, ILogger<CoordinatorDirectory> logger)
{
    public const string HttpClientName = "rosen-operator";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<string> Names => options.Value.Coordinators.Select(c => c.Name).ToList();

    public bool IsConfigured => options.Value.Coordinators.Count > 0;

    /// <summary>Asks each coordinator for the transaction; the first that knows it answers. Unreachable ones are skipped.</summary>
    public async Task<(CoordinatorView? View, string? Error)> FindAsync(string tid, CancellationToken cancellationToken)
    {
        string? error = null;
        foreach (var coordinator in options.Value.Coordinators)
        {
            try
            {
                using var response = await SendAsync(coordinator, HttpMethod.Get, $"api/v1/admin/transactions/{Uri.EscapeDataString(tid)}", null, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    error = await DescribeAsync(coordinator.Name, response, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var details = await response.Content.ReadFromJsonAsync<CoordinatorTransactionDetails>(Json, cancellationToken).ConfigureAwait(false);
                if (details is not null)
                {
                    return (new CoordinatorView(coordinator.Name, details), null);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = $"{coordinator.Name} did not answer ({ex.Message})";
                ManagerLog.OperatorApiFailed(logger, coordinator.Name, ex.Message);
            }
        }

        return (null, error);
    }

    /// <summary>Asks the coordinators for the current status of a page of transactions, a few at a time; unknown ids are left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetStatusesAsync(IEnumerable<string> tids, CancellationToken cancellationToken)
    {
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(tids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (tid, token) =>
        {
            var (view, _) = await FindAsync(tid, token).ConfigureAwait(false);
            if (view is not null)
            {
                statuses[tid] = view.Details.Transaction.Status;
            }
        }).ConfigureAwait(false);
        return statuses;
    }

    /// <summary>Lists transactions that need an operator (parked or heuristic participants) on every coordinator.</summary>
    public async Task<(IReadOnlyList<(string Coordinator, CoordinatorTransaction Transaction)> Items, IReadOnlyList<string> Errors)> ListNeedingAttentionAsync(CancellationToken cancellationToken)
    {
        var items = new List<(string, CoordinatorTransaction)>();
        var errors = new List<string>();
        foreach (var coordinator in options.Value.Coordinators)
        {
            foreach (var attention in new[] { "Parked", "Heuristic" })
            {
                try
                {
                    using var response = await SendAsync(coordinator, HttpMethod.Get, $"api/v1/admin/transactions?attention={attention}&limit=50", null, cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors.Add(await DescribeAsync(coordinator.Name, response, cancellationToken).ConfigureAwait(false));
                        break;
                    }

                    var list = await response.Content.ReadFromJsonAsync<CoordinatorTransactionList>(Json, cancellationToken).ConfigureAwait(false);
                    items.AddRange((list?.Items ?? []).Select(t => (coordinator.Name, t)));
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    errors.Add($"{coordinator.Name} did not answer ({ex.Message})");
                    break;
                }
            }
        }

        return (items, errors);
    }

    public Task<OperatorResult> RetryAsync(string coordinator, string tid, int participantId, string? reason, CancellationToken cancellationToken) =>
        ActAsync(coordinator, $"api/v1/admin/transactions/{Uri.EscapeDataString(tid)}/participants/{participantId}/retry", reason, $"Participant {participantId} will be retried now.", cancellationToken);

    public Task<OperatorResult> ResolveAsync(string coordinator, string tid, int participantId, string reason, CancellationToken cancellationToken) =>
        ActAsync(coordinator, $"api/v1/admin/transactions/{Uri.EscapeDataString(tid)}/participants/{participantId}/resolve", reason, $"Participant {participantId} is recorded as settled by hand.", cancellationToken);

    public Task<OperatorResult> ForceCancelAsync(string coordinator, string tid, string reason, CancellationToken cancellationToken) =>
        ActAsync(coordinator, $"api/v1/admin/transactions/{Uri.EscapeDataString(tid)}/force-cancel", reason, "The transaction is being cancelled.", cancellationToken);

    private async Task<OperatorResult> ActAsync(string name, string path, string? reason, string success, CancellationToken cancellationToken)
    {
        var coordinator = options.Value.Coordinators.FirstOrDefault(c => c.Name == name);
        if (coordinator is null)
        {
            return new OperatorResult(false, $"No coordinator named '{name}' is configured.");
        }

        try
        {
            using var response = await SendAsync(coordinator, HttpMethod.Post, path, JsonContent.Create(new { reason }, options: Json), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? new OperatorResult(true, success)
                : new OperatorResult(false, await DescribeAsync(name, response, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ManagerLog.OperatorApiFailed(logger, name, ex.Message);
            return new OperatorResult(false, $"{name} did not answer ({ex.Message}).");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(CoordinatorEndpoint coordinator, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(method, new Uri(WithSlash(coordinator.Address!), path)) { Content = content };
        request.Headers.Add("X-Api-Key", coordinator.ApiKey);
        return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    internal static Uri WithSlash(Uri address) => address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");

    internal static async Task<string> DescribeAsync(string name, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Problem+json detail when the API gave one; never the whole body (it could be large or not meant for people).
        string? detail = null;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
            {
                detail = d.GetString();
            }
        }
        catch (JsonException)
        {
        }

        return $"{name} answered {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? string.Empty : ": " + detail)}";
    }
}
