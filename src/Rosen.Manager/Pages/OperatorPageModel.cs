using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rosen.Manager.Audit;
using Rosen.Manager.Operations;
using Rosen.Manager.Security;

namespace Rosen.Manager.Pages;

/// <summary>
/// A page with operator actions. Pages are open to viewers, so each action checks the operator role itself (Razor
/// Pages cannot put a policy on one handler), writes every attempt to the audit log (denied ones too), and answers a
/// viewer 403. Destructive actions (a snapshot reset) need the admin role instead. Forms carry antiforgery tokens,
/// which Razor Pages validates on every POST.
/// </summary>
public abstract class OperatorPageModel(IAuthorizationService authorization, AuditLog audit) : PageModel
{
    protected AuditLog Audit => audit;

    public bool CanOperate { get; private set; }

    public bool CanAdminister { get; private set; }

    protected async Task LoadRoleAsync()
    {
        CanOperate = (await authorization.AuthorizeAsync(User, RosenPolicies.Operator)).Succeeded;
        CanAdminister = (await authorization.AuthorizeAsync(User, RosenPolicies.Admin)).Succeeded;
    }

    /// <summary>Runs an operator action: authorizes, audits, and redirects back with a message (post/redirect/get).</summary>
    protected Task<IActionResult> ActAsync(string action, string target, string? reason, Func<Task<OperatorResult>> run, string returnTo) =>
        ActAsync(RosenPolicies.Operator, action, target, reason, run, returnTo);

    /// <summary>Runs an action that needs <paramref name="policy"/> (<see cref="RosenPolicies.Operator"/> or <see cref="RosenPolicies.Admin"/>).</summary>
    protected async Task<IActionResult> ActAsync(string policy, string action, string target, string? reason, Func<Task<OperatorResult>> run, string returnTo)
    {
        var actor = User.Identity?.Name ?? "anonymous";
        var role = User.FindFirstValue(ClaimTypes.Role) ?? "none";
        if (!(await authorization.AuthorizeAsync(User, policy)).Succeeded)
        {
            var required = policy == RosenPolicies.Admin ? RosenRoles.Admin : RosenRoles.Operator;
            await audit.RecordAsync(actor, role, action, target, reason, AuditLog.Denied, $"the {required} role is required", HttpContext.RequestAborted);
            return Forbid();
        }

        OperatorResult result;
        try
        {
            result = await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new OperatorResult(false, ex.Message);
        }

        await audit.RecordAsync(actor, role, action, target, reason, result.Succeeded ? AuditLog.Allowed : AuditLog.Failed, result.Message, HttpContext.RequestAborted);
        TempData["Flash"] = result.Message;
        TempData["FlashTone"] = result.Succeeded ? "good" : "bad";
        return LocalRedirect(returnTo);
    }
}
