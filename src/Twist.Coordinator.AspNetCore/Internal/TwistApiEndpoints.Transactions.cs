using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Twist.Coordinator.Compat;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.AspNetCore.Internal;

// The caller API (specs/twist-protocol.md, "Caller-facing REST API"). Every answer carries "success", which Brobridge
// v1 clients check.
internal sealed partial class TwistApiEndpoints
{
    private async Task BeginAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context, TwistApiJsonContext.Default.BeginBody).ConfigureAwait(false);
        var timeout = RequestValidation.ToTimeout(body?.Timeout, MaxTimeout, "timeout");
        var coordinator = context.RequestServices.GetRequiredService<ITwistCoordinator>();
        var info = await coordinator.BeginAsync(timeout, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.Location = $"{TwistApiDefaults.RoutePrefix}/transactions/{Uri.EscapeDataString(info.Tid)}";
        await WriteAsync(context, StatusCodes.Status201Created, ApiMapper.ToResponse(info, success: true), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");
        var coordinator = context.RequestServices.GetRequiredService<ITwistCoordinator>();
        var info = await coordinator.GetAsync(tid, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status200OK, ApiMapper.ToResponse(info, success: true), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private async Task RegisterAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");
        var body = await ReadBodyAsync(context, TwistApiJsonContext.Default.RegisterBody).ConfigureAwait(false);
        if (body is null || (body.ParticipantLinks is null && body.Tasks is null))
        {
            throw new TwistValidationException(
                TwistErrorCodes.InvalidRequest,
                "participantLinks",
                "The body must contain participantLinks ([{\"uri\": \"...\", \"expires\": \"...\"}]) or tasks (Brobridge v1).") { Tid = tid };
        }

        var links = RequestValidation.ToLinks(body.ParticipantLinks);
        var tasks = RequestValidation.ToTaskRegistrations(body.Tasks, MaxTimeout);
        var info = await RegisterCoreAsync(context, tid, links, tasks, registerEmptyLinks: true).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status200OK, ApiMapper.ToResponse(info!, success: true), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private async Task ConfirmAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");
        var body = await ReadBodyAsync(context, TwistApiJsonContext.Default.ConfirmBody).ConfigureAwait(false);
        if (body?.Tid is { } bodyTid && !string.Equals(bodyTid, tid, StringComparison.Ordinal))
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "tid", $"The body's tid '{RequestValidation.Shorten(bodyTid)}' differs from the tid in the path '{tid}'.") { Tid = tid };
        }

        var links = RequestValidation.ToLinks(body?.ParticipantLinks);
        var tasks = RequestValidation.ToTaskRegistrations(body?.Tasks, MaxTimeout);

        // T0 clients send their tasks with the confirm; register them first (links go with the confirm itself).
        await RegisterCoreAsync(context, tid, [], tasks, registerEmptyLinks: false).ConfigureAwait(false);
        var coordinator = context.RequestServices.GetRequiredService<ITwistCoordinator>();
        var info = await coordinator.ConfirmAsync(tid, links.Count == 0 ? null : links, context.RequestAborted).ConfigureAwait(false);
        var status = info.Status switch
        {
            TransactionStatus.Confirmed => StatusCodes.Status200OK,
            TransactionStatus.Confirming => StatusCodes.Status202Accepted,
            _ => throw new TransactionConflictException(info, $"Transaction '{tid}' was not confirmed: it is {info.Status}{(info.Reason is null ? string.Empty : $" ({info.Reason})")}."),
        };
        await WriteAsync(context, status, ApiMapper.ToResponse(info, success: true), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private async Task CancelAsync(HttpContext context)
    {
        var tid = RequestValidation.RequireId(RouteValue(context, "tid"), "tid");

        // The body is ignored, but still read so that an oversized or malformed one is reported, not silently dropped.
        await ReadBodyAsync(context, TwistApiJsonContext.Default.OperatorActionBody).ConfigureAwait(false);
        var coordinator = context.RequestServices.GetRequiredService<ITwistCoordinator>();
        var info = await coordinator.CancelAsync(tid, context.RequestAborted).ConfigureAwait(false);
        var status = info.Status switch
        {
            TransactionStatus.Cancelled => StatusCodes.Status200OK,
            TransactionStatus.Cancelling => StatusCodes.Status202Accepted,
            _ => throw new TransactionConflictException(info, $"Transaction '{tid}' was not cancelled: it is {info.Status}."),
        };
        await WriteAsync(context, status, ApiMapper.ToResponse(info, success: true), TwistApiJsonContext.Default.TransactionResponse).ConfigureAwait(false);
    }

    private static async Task<TransactionInfo?> RegisterCoreAsync(
        HttpContext context, string tid, List<ParticipantLink> links, List<TaskRegistration> tasks, bool registerEmptyLinks)
    {
        TransactionInfo? info = null;
        if (links.Count > 0 || (registerEmptyLinks && tasks.Count == 0))
        {
            var coordinator = context.RequestServices.GetRequiredService<ITwistCoordinator>();
            info = await coordinator.RegisterAsync(tid, links, context.RequestAborted).ConfigureAwait(false);
        }

        if (tasks.Count > 0)
        {
            var registry = context.RequestServices.GetRequiredService<ITwistTaskRegistry>();
            info = await registry.RegisterTasksAsync(tid, tasks, context.RequestAborted).ConfigureAwait(false);
        }

        return info;
    }
}
