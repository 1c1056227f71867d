using Microsoft.Extensions.Logging.Abstractions;
using Twist.Coordinator.Dispatch;
using Twist.Coordinator.Storage;

namespace Twist.Coordinator.Tests.Dispatch;

/// <summary>
/// The wake-up that drains a backlog as soon as a participant comes back: only an endpoint that failed several calls
/// in a row and then answers wakes the deliveries waiting on it.
/// </summary>
public sealed class ParticipantEndpointsTests
{
    [Fact]
    public void An_endpoint_that_answers_after_a_run_of_failures_wakes_every_waiting_delivery_once()
    {
        using var endpoints = new ParticipantEndpoints(NullLogger<ParticipantEndpoints>.Instance);
        var endpoint = endpoints.For(Target("http://shop.internal:8080/p/1"));
        for (var i = 0; i < ParticipantEndpoints.DownAfterFailures; i++)
        {
            endpoint.Report(DeliveryOutcome.Transient);
        }

        var waiting = endpoint.Recovered;
        Assert.True(endpoint.IsDown);
        Assert.False(waiting.IsCancellationRequested);

        endpoint.Report(DeliveryOutcome.Done);

        Assert.True(waiting.IsCancellationRequested);
        Assert.False(endpoint.IsDown);
        Assert.False(endpoint.Recovered.IsCancellationRequested); // the next outage gets a fresh signal
    }

    [Fact]
    public void Failures_between_answers_never_wake_anyone()
    {
        // One transaction failing on its own (a handler bug for its data) while others succeed must keep its back-off,
        // or it would spend its retry budget in a tight loop.
        using var endpoints = new ParticipantEndpoints(NullLogger<ParticipantEndpoints>.Instance);
        var endpoint = endpoints.For(Target("http://shop.internal:8080/p/1"));
        var waiting = endpoint.Recovered;

        for (var i = 0; i < 20; i++)
        {
            endpoint.Report(DeliveryOutcome.Transient);
            endpoint.Report(DeliveryOutcome.Transient);
            endpoint.Report(DeliveryOutcome.Done);
        }

        Assert.False(waiting.IsCancellationRequested);
    }

    [Fact]
    public void Endpoints_are_told_apart_by_scheme_host_and_port_and_a_lapsed_lease_is_no_call()
    {
        using var endpoints = new ParticipantEndpoints(NullLogger<ParticipantEndpoints>.Instance);
        var shop = endpoints.For(Target("http://shop.internal:8080/p/1"));

        Assert.Same(shop, endpoints.For(Target("http://SHOP.internal:8080/p/2")));
        Assert.NotSame(shop, endpoints.For(Target("http://shop.internal:8081/p/1")));
        Assert.NotSame(shop, endpoints.For(Target("grpc://shop.internal:8080/p/1")));

        for (var i = 0; i < ParticipantEndpoints.DownAfterFailures; i++)
        {
            shop.Report(DeliveryOutcome.Transient);
            shop.Report(DeliveryOutcome.LeaseLapsed);
        }

        Assert.True(shop.IsDown);
    }

    private static ParticipantTarget Target(string uri) => ParticipantTarget.ForLink(new Uri(uri));
}
