using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rosen.Collector.Storage;
using Rosen.Manager.Audit;
using Rosen.Manager.Security;

namespace Rosen.Manager.Tests.Infrastructure;

/// <summary>The real manager app on Kestrel (loopback, random port) with three people, one agent key and temp data.</summary>
public sealed partial class ManagerHost : IAsyncDisposable
{
    public const string AgentKey = "test-agent-key-0123456789";

    public static readonly Person Viewer = new("vera", "viewer-password-1", RosenRoles.Viewer);
    public static readonly Person Operator = new("otto", "operator-password-1", RosenRoles.Operator);
    public static readonly Person Admin = new("ada", "admin-password-1", RosenRoles.Admin);

    private static readonly Lazy<Dictionary<string, string>> Hashes = new(() =>
        new[] { Viewer, Operator, Admin }.ToDictionary(p => p.Name, p => PasswordHashes.Hash(p.Password)));

    private readonly WebApplication app;
    private readonly string dataDirectory;

    private ManagerHost(WebApplication app, string dataDirectory, ConcurrentQueue<string> logs)
    {
        this.app = app;
        this.dataDirectory = dataDirectory;
        Logs = logs;
        Address = new Uri(app.Urls.First());
    }

    public Uri Address { get; }

    public Uri TracesUri => new(Address, "/v1/traces");

    public ConcurrentQueue<string> Logs { get; }

    public ISpanStore Store => app.Services.GetRequiredService<ISpanStore>();

    public AuditLog Audit => app.Services.GetRequiredService<AuditLog>();

    public static async Task<ManagerHost> StartAsync(Action<Dictionary<string, string?>>? settings = null, bool withUsers = true)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"rosen-manager-{Guid.NewGuid():N}");
        var values = new Dictionary<string, string?>
        {
            ["Rosen:Manager:DataDirectory"] = dataDirectory,
            ["Rosen:Manager:AgentKeys:0:Name"] = "tests",
            ["Rosen:Manager:AgentKeys:0:Key"] = AgentKey,
            ["Rosen:Manager:HealthProbeInterval"] = "00:00:00.200",
            ["Rosen:Manager:HealthProbeTimeout"] = "00:00:01",
        };
        if (withUsers)
        {
            var i = 0;
            foreach (var person in new[] { Viewer, Operator, Admin })
            {
                values[$"Rosen:Manager:Users:{i}:Name"] = person.Name;
                values[$"Rosen:Manager:Users:{i}:PasswordHash"] = Hashes.Value[person.Name];
                values[$"Rosen:Manager:Users:{i}:Role"] = person.Role;
                i++;
            }
        }

        settings?.Invoke(values);
        var logs = new ConcurrentQueue<string>();
        var app = RosenManagerApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new CapturingLoggerProvider(logs));
        });
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ManagerHost(app, dataDirectory, logs);
    }

    /// <summary>A browser-like client (cookies, no automatic redirects) logged in through the real login form.</summary>
    public async Task<HttpClient> LoginAsync(Person person)
    {
        var client = NewClient();
        var token = await TokenAsync(client, "/login");
        using var response = await client.PostAsync("/login", Form(token, ("username", person.Name), ("password", person.Password)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return client;
    }

    public HttpClient NewClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>GETs a page and returns its antiforgery token (the hidden form field).</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static FormUrlEncodedContent Form(string? token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Concat(token is null ? [] : [new KeyValuePair<string, string>("__RequestVerificationToken", token)]));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed record Person(string Name, string Password, string Role);

/// <summary>Keeps every log line (category, event id, message) for assertions.</summary>
public sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{category}[{eventId.Id}] {formatter(state, exception)}");
            }
        }
    }
}
