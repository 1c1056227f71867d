using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.IntegrationTests.Infrastructure;
using Twist.Protocol.V1;
using ParticipantLink = Twist.Transactions.ParticipantLink;
using Twist.Transactions;

namespace Twist.Coordinator.IntegrationTests;

public sealed class GrpcParticipantTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Grpc_links_receive_Confirm_and_Cancel_through_the_Participant_service()
    {
        var service = new RecordingParticipant();
        await using var app = await StartAsync(service);
        var port = new Uri(app.Urls.First()).Port;
        await using var harness = await CoordinatorHarness.StartAsync(o => o.ParticipantCredential.BearerToken = "grpc-token");

        var confirmed = await harness.Coordinator.BeginAsync(null, Ct);
        var cancelled = await harness.Coordinator.BeginAsync(null, Ct);
        var link = (string tid) => new ParticipantLink(new Uri($"grpc://127.0.0.1:{port}/wallet/{tid}"), DateTimeOffset.UtcNow.AddMinutes(1));
        await harness.Coordinator.RegisterAsync(cancelled.Tid, [link(cancelled.Tid)], Ct);

        var confirmResult = await harness.Coordinator.ConfirmAsync(confirmed.Tid, [link(confirmed.Tid)], Ct);
        var cancelResult = await harness.Coordinator.CancelAsync(cancelled.Tid, Ct);

        Assert.Equal(TransactionStatus.Confirmed, confirmResult.Status);
        Assert.Equal(TransactionStatus.Cancelled, cancelResult.Status);
        Assert.Contains(("confirm", confirmed.Tid, $"/wallet/{confirmed.Tid}", "Bearer grpc-token"), service.Calls);
        Assert.Contains(("cancel", cancelled.Tid, $"/wallet/{cancelled.Tid}", "Bearer grpc-token"), service.Calls);
    }

    [Fact]
    public async Task Grpc_status_codes_are_classified_like_HTTP_answers()
    {
        var service = new RecordingParticipant { ConfirmFailures = new Queue<StatusCode>([StatusCode.Unavailable, StatusCode.Unavailable]) };
        await using var app = await StartAsync(service);
        var port = new Uri(app.Urls.First()).Port;
        await using var harness = await CoordinatorHarness.StartAsync();
        var flaky = await harness.Coordinator.BeginAsync(null, Ct);

        var result = await harness.Coordinator.ConfirmAsync(flaky.Tid, [new ParticipantLink(new Uri($"grpc://127.0.0.1:{port}/x/{flaky.Tid}"), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        Assert.Equal(TransactionStatus.Confirmed, result.Status); // UNAVAILABLE is retried
        Assert.Equal(3, result.Participants.Single().Attempts);

        service.ConfirmFailures.Enqueue(StatusCode.FailedPrecondition);
        var refused = await harness.Coordinator.BeginAsync(null, Ct);
        var heuristic = await harness.Coordinator.ConfirmAsync(refused.Tid, [new ParticipantLink(new Uri($"grpc://127.0.0.1:{port}/x/{refused.Tid}"), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        Assert.Equal(TransactionAttention.Heuristic, heuristic.Attention); // FAILED_PRECONDITION on confirm cannot be applied
    }

    [Fact]
    public async Task Each_gRPC_attempt_is_one_client_span_with_RPC_attributes_whose_context_the_participant_receives()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is TwistCoordinatorTelemetry.Name or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var service = new RecordingParticipant { ConfirmFailures = new Queue<StatusCode>([StatusCode.Unavailable]) };
        await using var app = await StartAsync(service);
        var port = new Uri(app.Urls.First()).Port;
        await using var harness = await CoordinatorHarness.StartAsync();
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        await harness.Coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(new Uri($"grpc://127.0.0.1:{port}/x/{tx.Tid}"), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        var attempts = spans.Where(s => s.OperationName == "twist.participant confirm" && (string?)s.GetTagItem(TwistCoordinatorTelemetry.TransactionIdAttribute) == tx.Tid)
            .OrderBy(s => s.StartTimeUtc).ToArray();
        Assert.Equal(attempts.Select(a => a.Id), service.TraceParents.Where(t => t.Tid == tx.Tid).Select(t => t.TraceParent));
        Assert.DoesNotContain(spans, s => s.Source.Name == "System.Net.Http" && s.TraceId == attempts[0].TraceId);
        Assert.All(attempts, a => Assert.Equal(("grpc", "twist.v1.Participant", "Confirm"), ((string?)a.GetTagItem("rpc.system"), (string?)a.GetTagItem("rpc.service"), (string?)a.GetTagItem("rpc.method"))));
        Assert.Equal([(int)StatusCode.Unavailable, (int)StatusCode.OK], attempts.Select(a => (int?)a.GetTagItem("rpc.grpc.status_code")));
        Assert.Null(attempts[0].GetTagItem("http.response.status_code"));
    }

    private static async Task<WebApplication> StartAsync(RecordingParticipant service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<RecordingParticipant>();
        await app.StartAsync();
        return app;
    }

    private sealed class RecordingParticipant : Participant.ParticipantBase
    {
        public ConcurrentQueue<(string Phase, string Tid, string Path, string? Authorization)> Calls { get; } = new();

        public ConcurrentQueue<(string Tid, string? TraceParent)> TraceParents { get; } = new();

        public Queue<StatusCode> ConfirmFailures { get; init; } = new();

        public override Task<PhaseReply> Confirm(PhaseRequest request, ServerCallContext context)
        {
            Calls.Enqueue(("confirm", request.Tid, request.LinkPath, context.RequestHeaders.GetValue("authorization")));
            TraceParents.Enqueue((request.Tid, context.RequestHeaders.GetValue("traceparent")));
            lock (ConfirmFailures)
            {
                if (ConfirmFailures.TryDequeue(out var failure))
                {
                    throw new RpcException(new Status(failure, "scripted failure"));
                }
            }

            return Task.FromResult(new PhaseReply());
        }

        public override Task<PhaseReply> Cancel(PhaseRequest request, ServerCallContext context)
        {
            Calls.Enqueue(("cancel", request.Tid, request.LinkPath, context.RequestHeaders.GetValue("authorization")));
            return Task.FromResult(new PhaseReply());
        }
    }
}
