using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twist.Coordinator.CrashTests;

namespace Twist.Coordinator.ClusterTests.Infrastructure;

/// <summary>
/// Several coordinator host processes sharing one PostgreSQL database (<c>Twist:Coordinator:Store=PostgreSql</c>),
/// presenting the participant services' credential, each killable with SIGKILL.
/// </summary>
internal sealed class CoordinatorCluster : IAsyncDisposable
{
    private readonly string directory;
    private readonly ClusterDatabase database;

    private CoordinatorCluster(string directory, ClusterDatabase database, CoordinatorProcess[] nodes)
    {
        this.directory = directory;
        this.database = database;
        Nodes = nodes;
        Callers = nodes.Select(n => Caller(n.Address)).ToArray();
    }

    public IReadOnlyList<CoordinatorProcess> Nodes { get; }

    /// <summary>Gets an HTTP client per node for the caller API (REST), with the API key.</summary>
    public IReadOnlyList<HttpClient> Callers { get; }

    /// <summary>Starts <paramref name="count"/> nodes at once.</summary>
    /// <param name="settings">Coordinator settings for every node (environment form), e.g. lease and retry timings.</param>
    public static async Task<CoordinatorCluster> StartAsync(ClusterDatabase database, int count, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("twist-cluster-").FullName;
        var all = new Dictionary<string, string>
        {
            ["Twist__Coordinator__Store"] = "PostgreSql",

            // A small pool each: several nodes, the participants and other test projects share one server.
            ["Twist__Coordinator__PostgreSql__ConnectionString"] = database.WithPool(10),
            ["Twist__Coordinator__ParticipantCredential__BearerToken"] = ParticipantService.BearerToken,
            ["Twist__Coordinator__ParticipantCredential__HmacKey"] = ParticipantService.HmacKey,
            ["Logging__LogLevel__Twist"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var nodes = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => CoordinatorProcess.StartAsync(directory, all, cancellationToken)));
        return new CoordinatorCluster(directory, database, nodes);
    }

    /// <summary>Finds a node's instance id in the lease table (it carries the process id).</summary>
    public Task<string> InstanceIdAsync(CoordinatorProcess node) =>
        database.ScalarAsync<string>("SELECT id FROM twist.instances WHERE id LIKE $1", $"%-{node.ProcessId.ToString(CultureInfo.InvariantCulture)}-%");

    public async ValueTask DisposeAsync()
    {
        foreach (var caller in Callers)
        {
            caller.Dispose();
        }

        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Begins a transaction; returns its id.</summary>
    public static async Task<string> BeginAsync(HttpClient caller, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var response = await caller.PostAsJsonAsync("/api/v1/transactions", new { timeout = (long)timeout.TotalMilliseconds }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("tid").GetString()!;
    }

    /// <summary>Confirms with the links; returns the HTTP status and the transaction status the answer carried.</summary>
    public static async Task<(HttpStatusCode Code, string? Status)> ConfirmAsync(HttpClient caller, string tid, object[] links, CancellationToken cancellationToken)
    {
        using var response = await caller.PostAsJsonAsync($"/api/v1/transactions/{tid}/confirm", new { tid, participantLinks = links }, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        // A transaction answer carries "status" as a string; a problem answer carries the HTTP status as a number.
        return (response.StatusCode, body.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null);
    }

    /// <summary>Cancels; returns the HTTP status.</summary>
    public static async Task<HttpStatusCode> CancelAsync(HttpClient caller, string tid, CancellationToken cancellationToken)
    {
        using var response = await caller.PostAsync($"/api/v1/transactions/{tid}/cancel", null, cancellationToken);
        return response.StatusCode;
    }

    private static HttpClient Caller(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", CoordinatorProcess.ApiKey);
        return client;
    }
}
