using System.Net.Http.Headers;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Twist.Coordinator.Host;

namespace Twist.Coordinator.Api.Tests.Infrastructure;

/// <summary>
/// The real coordinator host (exactly what Program.cs runs) on Kestrel at 127.0.0.1 with an OS-assigned port and a
/// SQLite file in a temporary folder. Extra settings are given the way an operator would: command-line configuration.
/// </summary>
public sealed class CoordinatorHost : IAsyncDisposable
{
    private readonly string directory;

    private CoordinatorHost(WebApplication app, string directory)
    {
        App = app;
        this.directory = directory;
        BaseAddress = new Uri(app.Urls.Single());
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public static async Task<CoordinatorHost> StartAsync(IDictionary<string, string?>? settings = null, bool withKeys = true, Action<WebApplicationBuilder>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "twist-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["contentRoot"] = AppContext.BaseDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
            ["Twist:Coordinator:SqlitePath"] = Path.Combine(directory, "data", "twist.db"),
            ["Twist:Coordinator:AllowedParticipantHosts:0"] = "localhost",
            ["Twist:Coordinator:AllowedParticipantHosts:1"] = "127.0.0.1",
            ["Twist:Coordinator:DecisionWaitTimeout"] = "00:00:05",
            ["Twist:Coordinator:RetryBaseDelay"] = "00:00:00.050",
            ["Twist:Coordinator:RetryMaxDelay"] = "00:00:00.200",
            ["Twist:Coordinator:MaxAttemptsPerParticipant"] = "3",
        };
        if (withKeys)
        {
            values["Twist:Api:ApiKeys:0:Name"] = TestKeys.CallerName;
            values["Twist:Api:ApiKeys:0:Key"] = TestKeys.Caller;
            values["Twist:Api:ApiKeys:0:Roles:0"] = "caller";
            values["Twist:Api:ApiKeys:1:Name"] = TestKeys.OperatorName;
            values["Twist:Api:ApiKeys:1:Key"] = TestKeys.Operator;
            values["Twist:Api:ApiKeys:1:Roles:0"] = "operator";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var args = values.Where(v => v.Value is not null).Select(v => $"--{v.Key}={v.Value}").ToArray();
        var app = TwistCoordinatorHost.Build(args, configure);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new CoordinatorHost(app, directory);
    }

    /// <summary>Creates an HTTP/1.1 client for the REST API, authenticated with <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient CreateClient(string? apiKey = TestKeys.Caller)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Creates a gRPC channel to the same port (HTTP/2 with prior knowledge over http://).</summary>
    public GrpcChannel CreateGrpcChannel(string? apiKey = TestKeys.Caller)
    {
        var http = new HttpClient { DefaultRequestVersion = new Version(2, 0) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return GrpcChannel.ForAddress(BaseAddress, new GrpcChannelOptions { HttpClient = http, DisposeHttpClient = true });
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }
}
