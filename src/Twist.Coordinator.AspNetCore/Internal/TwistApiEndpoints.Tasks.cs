using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Twist.Coordinator.Compat;

namespace Twist.Coordinator.AspNetCore.Internal;

// The Brobridge Twist v1 task store (specs/twist-protocol.md, "[compat] Brobridge v1 task store"). The task object is
// returned as is, because v1 participants hand it to the caller, who sends it back in PUT {"tasks": [...]}.
internal sealed partial class TwistApiEndpoints
{
    private async Task CreateTaskAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context, TwistApiJsonContext.Default.CreateTaskBody).ConfigureAwait(false);
        var definition = RequestValidation.ToDefinition(body?.Task, "task", MaxTimeout);
        var registry = context.RequestServices.GetRequiredService<ITwistTaskRegistry>();
        var task = await registry.CreateTaskAsync(definition, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.Location = $"{TwistApiDefaults.RoutePrefix}/tasks/{Uri.EscapeDataString(task.Id)}";
        await WriteAsync(context, StatusCodes.Status201Created, ApiMapper.ToResponse(task), TwistApiJsonContext.Default.TaskResponse).ConfigureAwait(false);
    }

    private async Task GetTaskAsync(HttpContext context)
    {
        var id = RequestValidation.RequireId(RouteValue(context, "id"), "id");
        var registry = context.RequestServices.GetRequiredService<ITwistTaskRegistry>();
        var task = await registry.GetTaskAsync(id, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status200OK, ApiMapper.ToResponse(task), TwistApiJsonContext.Default.TaskResponse).ConfigureAwait(false);
    }

    private async Task CancelTaskAsync(HttpContext context)
    {
        var id = RequestValidation.RequireId(RouteValue(context, "id"), "id");
        var registry = context.RequestServices.GetRequiredService<ITwistTaskRegistry>();
        var task = await registry.CancelTaskAsync(id, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status200OK, ApiMapper.ToResponse(task), TwistApiJsonContext.Default.TaskResponse).ConfigureAwait(false);
    }
}
