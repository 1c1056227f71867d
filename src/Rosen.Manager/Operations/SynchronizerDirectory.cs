using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Operations;

/// <summary>Calls the configured synchronizers' operator API: status per database, parked events, replay, snapshot reset.</summary>
public sealed partial class SynchronizerDirectory(IHttpClientFactory httpClientFactory, IOptions<RosenManagerOptions> options, ILogger<SynchronizerDirectory> logger)
{
    public bool IsConfigured => options.Value.Synchronizers.Count > 0;

    public async Task<IReadOnlyList<SynchronizerReport>> ReportAsync(CancellationToken cancellationToken)
    {
        var reports = new List<SynchronizerReport>();
        foreach (var synchronizer in options.Value.Synchronizers)
        {
            try
            {
                var targets = await GetAsync<List<SyncTargetStatus>>(synchronizer, "status", cancellationToken).ConfigureAwait(false);
                var parked = await GetAsync<List<SyncParkedEvent>>(synchronizer, "parked", cancellationToken).ConfigureAwait(false);
                var rules = await RulesAsync(synchronizer, cancellationToken).ConfigureAwait(false);
                reports.Add(new SynchronizerReport(synchronizer.Name, targets ?? [], parked ?? [], null) { Rules = rules });
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                ManagerLog.OperatorApiFailed(logger, synchronizer.Name, ex.Message);
                reports.Add(new SynchronizerReport(synchronizer.Name, [], [], $"{synchronizer.Name} did not answer ({ex.Message})."));
            }
        }

        return reports;
    }

    public async Task<OperatorResult> ReplayAsync(string name, string database, string table, string key, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } synchronizer)
        {
            return NotConfigured(name);
        }

        try
        {
            using var response = await SendAsync(synchronizer, HttpMethod.Post, "replay", JsonContent.Create(new SyncParkedKey { Database = database, Table = table, Key = key }, options: CoordinatorDirectory.Json), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new OperatorResult(false, await CoordinatorDirectory.DescribeAsync(name, response, cancellationToken).ConfigureAwait(false));
            }

            var result = await response.Content.ReadFromJsonAsync<SyncReplayResult>(CoordinatorDirectory.Json, cancellationToken).ConfigureAwait(false) ?? new SyncReplayResult();
            return result.Error is null
                ? new OperatorResult(true, $"Replayed {result.Applied} event(s); the key is no longer parked.")
                : new OperatorResult(false, $"Applied {result.Applied}, {result.StillParked} still parked: {result.Error}");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ManagerLog.OperatorApiFailed(logger, name, ex.Message);
            return new OperatorResult(false, $"{name} did not answer ({ex.Message}).");
        }
    }

    private SynchronizerEndpoint? Find(string name) => options.Value.Synchronizers.FirstOrDefault(s => s.Name == name);

    private static OperatorResult NotConfigured(string name) => new(false, $"No synchronizer named '{name}' is configured.");

    // A synchronizer from before GET /rules answers 404: its page simply has no rule table.
    private async Task<IReadOnlyList<SyncRuleStatus>> RulesAsync(SynchronizerEndpoint synchronizer, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(synchronizer, HttpMethod.Get, "rules", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(await CoordinatorDirectory.DescribeAsync(synchronizer.Name, response, cancellationToken).ConfigureAwait(false));
        }

        return await response.Content.ReadFromJsonAsync<List<SyncRuleStatus>>(CoordinatorDirectory.Json, cancellationToken).ConfigureAwait(false) ?? [];
    }

    private async Task<T?> GetAsync<T>(SynchronizerEndpoint synchronizer, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(synchronizer, HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(await CoordinatorDirectory.DescribeAsync(synchronizer.Name, response, cancellationToken).ConfigureAwait(false));
        }

        return await response.Content.ReadFromJsonAsync<T>(CoordinatorDirectory.Json, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(SynchronizerEndpoint synchronizer, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(CoordinatorDirectory.HttpClientName);
        using var request = new HttpRequestMessage(method, new Uri(CoordinatorDirectory.WithSlash(synchronizer.Address!), path)) { Content = content };
        request.Headers.Add("X-Api-Key", synchronizer.ApiKey);
        return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
