using System.Text;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Tests.EventLog;

public sealed class SqliteEventLogTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();
    private readonly SqliteEventLog _log;

    public SqliteEventLogTests() => _log = new SqliteEventLog(Path.Combine(_directory, "events.db"));

    public void Dispose()
    {
        _log.Dispose();
        TempDirectory.Delete(_directory);
    }

    [Fact]
    public async Task Events_come_back_in_append_order_with_their_envelope()
    {
        var first = await _log.AppendAsync(new GravityEventData { Id = "a", Name = "userCreated", Key = "u1", Payload = "{\"id\":1}"u8.ToArray(), TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", TraceState = "k=v" }, TestContext.Current.CancellationToken);
        var positions = await _log.AppendAsync([GravityEventData.FromJson("b", "{}"), GravityEventData.FromJson("c", "{}")], TestContext.Current.CancellationToken);

        Assert.Equal([first + 1, first + 2], positions);
        var events = await _log.ReadAsync(0, 10, TestContext.Current.CancellationToken);
        Assert.Equal(["userCreated", "b", "c"], events.Select(e => e.Name));
        Assert.Equal("u1", events[0].Key);
        Assert.Equal("{\"id\":1}", Encoding.UTF8.GetString(events[0].Payload.Span));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", events[0].TraceParent);
        Assert.Equal("k=v", events[0].TraceState);
        Assert.Equal(["c"], (await _log.ReadAsync(positions[0], 10, TestContext.Current.CancellationToken)).Select(e => e.Name));
        Assert.Equal(positions[1], await _log.GetHeadPositionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Appending_an_id_again_keeps_the_first_event()
    {
        var first = await _log.AppendAsync(new GravityEventData { Id = "same", Name = "one", Payload = "{}"u8.ToArray() }, TestContext.Current.CancellationToken);
        var again = await _log.AppendAsync(new GravityEventData { Id = "same", Name = "two", Payload = "{}"u8.ToArray() }, TestContext.Current.CancellationToken);

        Assert.Equal(first, again);
        Assert.Equal("one", Assert.Single(await _log.ReadAsync(0, 10, TestContext.Current.CancellationToken)).Name);
    }

    [Fact]
    public async Task A_waiting_reader_wakes_on_append()
    {
        var head = await _log.GetHeadPositionAsync(TestContext.Current.CancellationToken);
        var wait = _log.WaitAsync(head, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(wait.IsCompleted);

        await _log.AppendAsync(GravityEventData.FromJson("x", "{}"), TestContext.Current.CancellationToken);

        await wait.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_current_activity_travels_with_the_event()
    {
        using var activity = new System.Diagnostics.Activity("publish").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();

        await _log.AppendAsync(GravityEventData.FromJson("x", "{}"), TestContext.Current.CancellationToken);

        Assert.Equal(activity.Id, Assert.Single(await _log.ReadAsync(0, 1, TestContext.Current.CancellationToken)).TraceParent);
    }
}
