using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
#if (database == "postgresql")
using Npgsql;
#else
using Microsoft.Data.Sqlite;
#endif

namespace Company.Coordinator1.Tests;

/// <summary>The host exactly as Program.cs builds it, on two free loopback ports, with a test API key.</summary>
public sealed class CoordinatorHost : IAsyncLifetime
{
    public const string ApiKey = "coordinator-tests-api-key-0123456789";

    private readonly string directory = Directory.CreateTempSubdirectory("coordinator-tests-").FullName;
    private WebApplication? app;
#if (database == "postgresql")
    private readonly string? postgres = Environment.GetEnvironmentVariable("TWIST_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
    private readonly string schema = "twist_test_" + Guid.NewGuid().ToString("N")[..12];
#endif

    public Uri RestAddress { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        List<string> args =
        [
            $"--Kestrel:Endpoints:Rest:Url=http://127.0.0.1:{FreePort()}",
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{FreePort()}",
            "--Twist:Api:ApiKeys:0:Name=tests",
            $"--Twist:Api:ApiKeys:0:Key={ApiKey}",
            "--Twist:Api:ApiKeys:0:Roles:0=caller",
            "--Logging:LogLevel:Default=Warning",
        ];
#if (database == "postgresql")
        if (postgres is null)
        {
            return; // every test skips (or fails on CI) through RequireServer()
        }

        args.Add($"--ConnectionStrings:Twist={postgres}");
        args.Add($"--Twist:PostgreSql:Schema={schema}");
#else
        args.Add($"--Twist:Coordinator:SqlitePath={Path.Combine(directory, "coordinator.db")}");
#endif
        app = CoordinatorApp.Build([.. args]);
        await app.StartAsync();
        var addresses = app.Urls.Select(u => new Uri(u)).ToList();
        RestAddress = addresses.Single(u => args.Contains($"--Kestrel:Endpoints:Rest:Url=http://127.0.0.1:{u.Port}"));
        GrpcAddress = addresses.Single(u => u != RestAddress);
    }

    /// <summary>Skips the test when the database server it needs is not configured, except on CI, where that fails it.</summary>
    public void RequireServer()
    {
#if (database == "postgresql")
        if (postgres is null)
        {
            const string message = "TWIST_TEST_POSTGRES is not set: these tests need a PostgreSQL server (e.g. Host=127.0.0.1;Username=postgres;Database=postgres).";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", message);
            Assert.Skip(message);
        }
#endif
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

#if (database == "postgresql")
        if (postgres is not null)
        {
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
#else
        SqliteConnection.ClearAllPools();
#endif
        Directory.Delete(directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
