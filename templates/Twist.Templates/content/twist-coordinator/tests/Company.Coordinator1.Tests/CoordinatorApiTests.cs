using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Twist.Client;
using Twist.Transactions;

namespace Company.Coordinator1.Tests;

/// <summary>The hosted coordinator called as callers call it: the Twist client over gRPC and REST, with an API key.</summary>
public sealed class CoordinatorApiTests(CoordinatorHost host) : IClassFixture<CoordinatorHost>
{
    [Theory]
    [InlineData(TwistCoordinatorKind.Grpc)]
    [InlineData(TwistCoordinatorKind.Rest)]
    public async Task A_caller_with_an_API_key_begins_and_confirms_a_transaction(TwistCoordinatorKind kind)
    {
        host.RequireServer();
        await using var services = Client(kind, CoordinatorHost.ApiKey);
        var twist = services.GetRequiredService<ITwistClient>();

        await using var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var confirmed = await tx.ConfirmAsync(TestContext.Current.CancellationToken);

        Assert.Equal(TransactionStatus.Confirmed, confirmed.Status);
        Assert.Equal(TransactionStatus.Confirmed, (await twist.Coordinator.GetAsync(tx.Tid, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task A_transaction_the_caller_abandons_is_cancelled()
    {
        host.RequireServer();
        await using var services = Client(TwistCoordinatorKind.Grpc, CoordinatorHost.ApiKey);
        var twist = services.GetRequiredService<ITwistClient>();

        string tid;
        await using (var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken))
        {
            tid = tx.Tid;
        }

        Assert.Equal(TransactionStatus.Cancelled, (await twist.Coordinator.GetAsync(tid, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task A_request_without_an_API_key_is_refused_with_a_problem()
    {
        host.RequireServer();
        using var http = new HttpClient { BaseAddress = host.RestAddress };

        using var response = await http.PostAsync("/api/v1/transactions", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_health_endpoint_answers_without_credentials()
    {
        host.RequireServer();
        using var http = new HttpClient { BaseAddress = host.RestAddress };

        using var response = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private ServiceProvider Client(TwistCoordinatorKind kind, string apiKey)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTwistClient(o =>
        {
            o.Coordinator = kind;
            o.Address = kind == TwistCoordinatorKind.Grpc ? host.GrpcAddress : host.RestAddress;
            o.ApiKey = apiKey;
        });
        return services.BuildServiceProvider();
    }
}
