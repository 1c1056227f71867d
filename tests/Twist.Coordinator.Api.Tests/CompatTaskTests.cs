using System.Net;
using Twist.Coordinator.Api.Tests.Infrastructure;
using static Twist.Coordinator.Api.Tests.Infrastructure.Http;

namespace Twist.Coordinator.Api.Tests;

/// <summary>
/// The Brobridge Twist v1 flow exactly as its example clients drive it: the participant stores a task, the caller
/// registers the returned task object, confirms with POST /api/v1/transactions/{tid} and cancels with DELETE.
/// </summary>
public sealed class CompatTaskTests(CoordinatorFixture fixture)
{
    private string TaskBody(string name, string payload) =>
        $"{{\"task\":{{\"actions\":{{\"confirm\":{{\"type\":\"rest\",\"method\":\"put\",\"uri\":\"{fixture.Participants.Link(name)}\"}}," +
        $"\"cancel\":{{\"type\":\"rest\",\"method\":\"delete\",\"uri\":\"{fixture.Participants.Link(name)}\"}}}},\"payload\":\"{payload}\",\"timeout\":30000}}}}";

    [Fact]
    public async Task V1_client_flow_confirms_through_the_task_actions()
    {
        using var client = fixture.Host.CreateClient();
        var name = $"v1-{Guid.NewGuid():N}";

        var (created, tx, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", "{\"timeout\":3000}");
        Assert.Equal(HttpStatusCode.Created, created);
        var tid = tx.GetProperty("transactionID").GetString()!;

        var (taskStatus, task, taskResponse) = await SendAsync(client, HttpMethod.Post, "/api/v1/tasks", TaskBody(name, "{\\\"user\\\":\\\"fred\\\"}"));
        Assert.Equal(HttpStatusCode.Created, taskStatus);
        var taskId = task.GetProperty("id").GetString()!;
        Assert.Equal("PENDING", task.GetProperty("status").GetString());
        Assert.Equal("{\"user\":\"fred\"}", task.GetProperty("payload").GetString());
        Assert.Equal("PUT", task.GetProperty("actions").GetProperty("confirm").GetProperty("method").GetString());
        Assert.Equal($"/api/v1/tasks/{taskId}", taskResponse.Headers.Location?.OriginalString);

        // The caller sends the task object back exactly as the participant received it.
        var (registered, registerJson, _) = await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", "{\"tasks\":[" + task.GetRawText() + "]}");
        Assert.Equal(HttpStatusCode.OK, registered);
        Assert.True(registerJson.GetProperty("success").GetBoolean());

        var (confirmed, confirmJson, _) = await SendAsync(client, HttpMethod.Post, $"/api/v1/transactions/{tid}", "{}");
        Assert.Equal(HttpStatusCode.OK, confirmed);
        Assert.True(confirmJson.GetProperty("success").GetBoolean());

        var call = Assert.Single(fixture.Participants.CallsFor(name));
        Assert.Equal("PUT", call.Method);
        Assert.Equal(taskId, call.TaskId);
        Assert.Equal("confirm", call.PhaseCompat);
        Assert.Equal(tid, call.Tid);

        var (got, gotTask, _) = await SendAsync(client, HttpMethod.Get, $"/api/v1/tasks/{taskId}");
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.Equal("CONFIRMED", gotTask.GetProperty("status").GetString());
    }

    [Fact]
    public async Task V1_delete_transaction_cancels_through_the_task_actions()
    {
        using var client = fixture.Host.CreateClient();
        var name = $"v1c-{Guid.NewGuid():N}";
        var (_, tx, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", "{\"timeout\":30000}");
        var tid = tx.GetProperty("transactionID").GetString()!;
        var (_, task, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/tasks", TaskBody(name, "state"));
        await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", "{\"tasks\":[" + task.GetRawText() + "]}");

        // The Go example client sends an empty body with Content-Type: application/json.
        var (cancelled, json, _) = await SendAsync(client, Request(HttpMethod.Delete, $"/api/v1/transactions/{tid}", string.Empty));
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal("Cancelled", json.GetProperty("status").GetString());
        var call = Assert.Single(fixture.Participants.CallsFor(name));
        Assert.Equal("DELETE", call.Method);
        Assert.Equal("cancel", call.PhaseCompat);
    }

    [Fact]
    public async Task Delete_task_marks_it_cancelled()
    {
        using var client = fixture.Host.CreateClient();
        var (_, task, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/tasks", TaskBody($"t-{Guid.NewGuid():N}", "p"));
        var id = task.GetProperty("id").GetString()!;
        var (status, json, _) = await SendAsync(client, Request(HttpMethod.Delete, $"/api/v1/tasks/{id}", string.Empty));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("CANCELED", json.GetProperty("status").GetString());
    }
}
