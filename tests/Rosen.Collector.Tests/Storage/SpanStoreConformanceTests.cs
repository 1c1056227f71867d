using Rosen.Collector.Storage;

namespace Rosen.Collector.Tests.Storage;

/// <summary>What every <see cref="ISpanStore"/> must do, run against SQLite and PostgreSQL alike.</summary>
public abstract class SpanStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    protected ISpanStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync(Ct);
        await Store.InitializeAsync(Ct); // creating the schema twice is harmless
    }

    public abstract ValueTask DisposeAsync();

    protected abstract Task<ISpanStore> CreateStoreAsync();

    /// <summary>Runs SQL on the store's database, with <c>{schema}.</c> meaning the store's tables (empty for SQLite).</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    [Fact]
    public async Task A_span_is_stored_once_and_a_trace_reads_back_in_start_order_with_every_field()
    {
        var trace = Id(32);
        var late = Span(trace, "late", "bank", Now.AddSeconds(2)) with
        {
            Status = CollectedSpanStatus.Error,
            StatusMessage = "boom",
            ServiceInstanceId = "bank-1",
            ScopeName = "Test",
            Events = [new CollectedSpanEvent(7, "exception", new Dictionary<string, string> { ["exception.type"] = "X" })],
            Links = [new CollectedSpanLink(Id(32), Id(16))],
        };
        var early = Span(trace, "early", "bank", Now);

        Assert.Equal(2, await Store.WriteAsync([late, early], Ct));
        Assert.Equal(0, await Store.WriteAsync([late], Ct));

        var spans = await Store.GetTraceAsync(trace, Ct);
        Assert.Equal(["early", "late"], spans.Select(s => s.Name));
        var read = spans[1];
        Assert.Equal((late.SpanId, late.Kind, CollectedSpanStatus.Error, "boom", "bank-1", "Test"), (read.SpanId, read.Kind, read.Status, read.StatusMessage, read.ServiceInstanceId, read.ScopeName));
        Assert.Equal((late.StartUnixNano, late.EndUnixNano), (read.StartUnixNano, read.EndUnixNano));
        Assert.Equal("X", Assert.Single(read.Events).Attributes["exception.type"]);
        Assert.Equal(late.Links, read.Links);
        Assert.Equal(late.Attributes, read.Attributes);
    }

    [Fact]
    public async Task A_transaction_gathers_its_spans_their_descendants_and_the_consumers_that_link_to_them()
    {
        var trace = Id(32);
        var call = Span(trace, "twist.participant confirm", "coordinator", Now, kind: CollectedSpanKind.Client, tid: "tx-1");
        var server = Span(trace, "PUT /debit", "bank", Now.AddMilliseconds(1), kind: CollectedSpanKind.Server) with { ParentSpanId = call.SpanId };
        var query = Span(trace, "UPDATE wallet", "bank", Now.AddMilliseconds(2)) with { ParentSpanId = server.SpanId };
        var producer = Span(trace, "send users", "shop", Now.AddMilliseconds(3), kind: CollectedSpanKind.Producer, tid: "tx-1");
        var apply = Span(Id(32), "gravity.sync.apply", "sync", Now.AddMilliseconds(9), kind: CollectedSpanKind.Consumer) with
        {
            Links = [new CollectedSpanLink(trace, producer.SpanId)],
            Attributes = new Dictionary<string, string> { ["gravity.database"] = "profiles", ["messaging.batch.message_count"] = "4" },
        };
        var other = Span(trace, "another root", "shop", Now);

        // Descendants arrive before their ancestor: they still inherit the id once it comes.
        await Store.WriteAsync([query, other], Ct);
        await Store.WriteAsync([server, apply], Ct);
        await Store.WriteAsync([call, producer], Ct);

        var spans = await Store.GetTransactionSpansAsync("tx-1", cancellationToken: Ct);
        Assert.Equal(["twist.participant confirm", "PUT /debit", "UPDATE wallet", "send users", "gravity.sync.apply"], spans.Select(s => s.Name));
        Assert.All(spans.Take(4), s => Assert.Equal("tx-1", s.TransactionId));

        var edges = await Store.GetServiceEdgesAsync(Now.AddMinutes(-1), Ct);
        Assert.Equal(
            [("coordinator", "bank", false, 1), ("shop", "sync", true, 1)],
            edges.Select(e => (e.From, e.To, e.Messaging, e.Count)).OrderBy(e => e.From, StringComparer.Ordinal));
        var sync = Assert.Single(await Store.GetSyncActivityAsync(Now.AddMinutes(-1), Ct));
        Assert.Equal(("profiles", 1, 4L), (sync.Database, sync.Batches, sync.Events));
        Assert.Equal(["bank", "coordinator", "shop", "sync"], (await Store.ListServicesAsync(Now.AddMinutes(-1), Ct)).Select(s => s.Name));
        await Store.WriteAsync([Span(Id(32), "process users", "sync", Now) with { Attributes = new Dictionary<string, string> { ["gravity.event.id"] = "event-9" } }], Ct);
        Assert.Equal("process users", Assert.Single(await Store.GetEventSpansAsync("event-9", Ct)).Name);
        Assert.Empty(await Store.GetEventSpansAsync("event-10", Ct));
    }

    [Fact]
    public async Task Transactions_are_listed_newest_first_and_found_by_id_prefix_status_participant_age_and_errors()
    {
        await Store.WriteAsync(
        [
            Span(Id(32), "twist.confirm", "coordinator", Now.AddMinutes(-30), tid: "alpha-1") with { Attributes = Tags("alpha-1", ("twist.decision", "Confirming")) },
            Span(Id(32), "twist.participant confirm", "coordinator", Now.AddMinutes(-30).AddSeconds(1), tid: "alpha-1") with
            {
                Attributes = Tags("alpha-1", ("server.address", "Bank.internal")),
                Status = CollectedSpanStatus.Error,
            },
            Span(Id(32), "twist.cancel", "coordinator", Now.AddMinutes(-5), tid: "beta-2") with { Attributes = Tags("beta-2", ("twist.decision", "Cancelling")) },
            Span(Id(32), "twist.participant.try", "game", Now.AddMinutes(-1), tid: "alpha-3") with { Attributes = Tags("alpha-3", ("twist.participant.name", "points_100%")) },
        ], Ct);

        async Task<string[]> Find(TransactionSearch search) => [.. (await Store.ListTransactionsAsync(search, Ct)).Select(t => t.TransactionId)];

        Assert.Equal(["alpha-3", "beta-2", "alpha-1"], await Find(new TransactionSearch()));
        Assert.Equal(["alpha-3", "alpha-1"], await Find(new TransactionSearch { TransactionId = "alpha" }));
        Assert.Equal(["beta-2"], await Find(new TransactionSearch { Status = "cancelling" }));
        Assert.Equal(["alpha-1"], await Find(new TransactionSearch { Participant = "BANK" }));
        Assert.Equal(["alpha-3"], await Find(new TransactionSearch { Participant = "_100%" }));
        Assert.Equal(["alpha-3"], await Find(new TransactionSearch { Participant = "game" }));
        Assert.Equal(["alpha-1"], await Find(new TransactionSearch { ErrorsOnly = true }));
        Assert.Equal(["alpha-3", "beta-2"], await Find(new TransactionSearch { StartedAfter = Now.AddMinutes(-10) }));
        Assert.Equal(["alpha-1"], await Find(new TransactionSearch { StartedBefore = Now.AddMinutes(-10) }));
        Assert.Equal(["beta-2"], await Find(new TransactionSearch { Limit = 1, Offset = 1 }));

        var alpha = (await Store.ListTransactionsAsync(new TransactionSearch { TransactionId = "alpha-1" }, Ct)).Single();
        Assert.Equal((2, 1, "Confirming"), (alpha.SpanCount, alpha.ErrorCount, alpha.Status));
        Assert.Equal(["coordinator"], alpha.Services);
    }

    [Fact]
    public async Task Deleting_by_age_removes_older_spans_and_their_links_only()
    {
        var old = Span(Id(32), "old", "a", Now.AddDays(-2)) with { Links = [new CollectedSpanLink(Id(32), Id(16))] };
        var fresh = Span(Id(32), "fresh", "a", Now);
        await Store.WriteAsync([old, fresh], Ct);

        Assert.Equal(1, await Store.DeleteOlderThanAsync(Now.AddDays(-1), Ct));
        Assert.Empty(await Store.GetTraceAsync(old.TraceId, Ct));
        Assert.Single(await Store.GetTraceAsync(fresh.TraceId, Ct));
        Assert.Equal(0, await Store.DeleteOlderThanAsync(Now.AddDays(-1), Ct));
    }

    [Fact]
    public async Task A_transaction_gathers_the_logs_about_it_and_those_written_in_its_spans_or_the_spans_linked_to_them()
    {
        var trace = Id(32);
        var call = Span(trace, "twist.participant confirm", "coordinator", Now, kind: CollectedSpanKind.Client, tid: "tx-logs");
        var server = Span(trace, "PUT /debit", "bank", Now.AddMilliseconds(1), kind: CollectedSpanKind.Server) with { ParentSpanId = call.SpanId };
        var apply = Span(Id(32), "gravity.sync.apply", "sync", Now.AddMilliseconds(9), kind: CollectedSpanKind.Consumer) with
        {
            Links = [new CollectedSpanLink(trace, call.SpanId)],
        };
        var elsewhere = Span(trace, "another root", "shop", Now);
        await Store.WriteAsync([call, server, apply, elsewhere], Ct);

        var about = Log(Now.AddMilliseconds(5), "Transaction tx-logs finished Confirmed") with
        {
            SeverityNumber = 5,
            SeverityText = "Debug",
            ServiceInstanceId = "coordinator-1",
            ScopeName = "Twist.Coordinator.Engine",
            EventName = "TransactionCompleted",
            EventId = 1002,
            TransactionId = "tx-logs",
            Attributes = new Dictionary<string, string> { ["Tid"] = "tx-logs", ["Status"] = "Confirmed" },
        };
        var inCall = Log(Now.AddMilliseconds(1), "calling the participant") with { TraceId = trace, SpanId = call.SpanId };
        var inServer = Log(Now.AddMilliseconds(2), "debited 100") with { ServiceName = "bank", TraceId = trace, SpanId = server.SpanId, GravityEventId = "event-1" };
        var inApply = Log(Now.AddMilliseconds(10), "applied 1 event") with { ServiceName = "sync", TraceId = apply.TraceId, SpanId = apply.SpanId };
        var otherTransaction = Log(Now.AddMilliseconds(3), "Transaction tx-other finished Cancelled") with { TransactionId = "tx-other" };
        var otherSpan = Log(Now.AddMilliseconds(4), "unrelated") with { TraceId = trace, SpanId = elsewhere.SpanId };
        var noContext = Log(Now.AddMilliseconds(6), "started");

        Assert.Equal(7, await Store.WriteLogsAsync([about, inCall, inServer, inApply, otherTransaction, otherSpan, noContext], Ct));
        Assert.Equal(0, await Store.WriteLogsAsync([about, inCall], Ct)); // an exporter's retry stores nothing twice

        var logs = await Store.GetTransactionLogsAsync("tx-logs", cancellationToken: Ct);
        Assert.Equal(["calling the participant", "debited 100", "Transaction tx-logs finished Confirmed", "applied 1 event"], logs.Select(l => l.Body));
        Assert.Equal(about, logs[2] with { Attributes = about.Attributes });
        Assert.Equal(about.Attributes, logs[2].Attributes);
        Assert.Equal((trace, server.SpanId, "event-1"), (logs[1].TraceId, logs[1].SpanId, logs[1].GravityEventId));
        Assert.Equal(["Transaction tx-other finished Cancelled"], (await Store.GetTransactionLogsAsync("tx-other", cancellationToken: Ct)).Select(l => l.Body));
        Assert.Empty(await Store.GetTransactionLogsAsync("tx-none", cancellationToken: Ct));

        // Over the limit, the newest records are kept, still oldest first.
        Assert.Equal(["Transaction tx-logs finished Confirmed", "applied 1 event"], (await Store.GetTransactionLogsAsync("tx-logs", limit: 2, Ct)).Select(l => l.Body));
    }

    [Fact]
    public async Task Deleting_logs_by_age_removes_older_records_only()
    {
        var old = Log(Now.AddDays(-2), "old") with { TransactionId = "tx-age" };
        var fresh = Log(Now, "fresh") with { TransactionId = "tx-age" };
        await Store.WriteLogsAsync([old, fresh], Ct);

        Assert.Equal(1, await Store.DeleteLogsOlderThanAsync(Now.AddDays(-1), Ct));
        Assert.Equal(["fresh"], (await Store.GetTransactionLogsAsync("tx-age", cancellationToken: Ct)).Select(l => l.Body));
        Assert.Equal(0, await Store.DeleteLogsOlderThanAsync(Now.AddDays(-1), Ct));
    }

    [Fact]
    public async Task A_database_from_before_logs_gains_the_log_table_when_the_store_starts()
    {
        var span = Span(Id(32), "twist.begin", "coordinator", Now, tid: "tx-upgrade");
        await Store.WriteAsync([span], Ct);
        await ExecuteSqlAsync("DROP TABLE {schema}.log_records"); // the schema as the previous version left it

        await Store.InitializeAsync(Ct);

        Assert.Equal(1, await Store.WriteLogsAsync([Log(Now, "after the upgrade") with { TraceId = span.TraceId, SpanId = span.SpanId }], Ct));
        Assert.Equal(["after the upgrade"], (await Store.GetTransactionLogsAsync("tx-upgrade", cancellationToken: Ct)).Select(l => l.Body));
        Assert.Single(await Store.GetTraceAsync(span.TraceId, Ct));
    }

    private static CollectedLogRecord Log(DateTimeOffset time, string body) => new()
    {
        TimeUnixNano = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100,
        SeverityNumber = 9,
        SeverityText = "Information",
        Body = body,
        ServiceName = "coordinator",
    };

    private static Dictionary<string, string> Tags(string tid, params (string Key, string Value)[] more)
    {
        var tags = new Dictionary<string, string> { ["twist.transaction.id"] = tid };
        foreach (var (key, value) in more)
        {
            tags[key] = value;
        }

        return tags;
    }

    private static CollectedSpan Span(string trace, string name, string service, DateTimeOffset start, CollectedSpanKind kind = CollectedSpanKind.Internal, string? tid = null)
    {
        var startNano = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return new CollectedSpan
        {
            TraceId = trace,
            SpanId = Id(16),
            Name = name,
            Kind = kind,
            ServiceName = service,
            StartUnixNano = startNano,
            EndUnixNano = startNano + 1_000_000,
            Attributes = tid is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["twist.transaction.id"] = tid },
        };
    }

    private static string Id(int hexDigits) => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray())[..hexDigits];
}
