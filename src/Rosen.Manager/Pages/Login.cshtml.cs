using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Rosen.Manager.Audit;
using Rosen.Manager.Diagnostics;
using Rosen.Manager.Security;

namespace Rosen.Manager.Pages;

[EnableRateLimiting(RosenManagerApp.LoginRateLimit)]
public sealed class LoginModel(UserDirectory users, AuditLog audit, ManagerTelemetry telemetry, ILogger<LoginModel> logger) : PageModel
{
    public string? Error { get; private set; }

    public string? Username { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturn(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? returnUrl)
    {
        ReturnUrl = SafeReturn(returnUrl);
        Username = username;
        var name = (username ?? string.Empty).Trim();
        if (!users.TryVerify(name, password, out var canonical, out var role))
        {
            ManagerLog.LoginFailed(logger, name.Length > 100 ? name[..100] : name);
            telemetry.Logins.Add(1, new KeyValuePair<string, object?>("rosen.outcome", "failed"));
            await audit.RecordAsync(name.Length > 100 ? name[..100] : name, "none", "login", "manager", null, AuditLog.Denied, "wrong user name or password", HttpContext.RequestAborted);
            Error = "The user name or password is not right.";
            return Page();
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, canonical), new Claim(ClaimTypes.Role, role)], RosenSchemes.Cookie);
        await HttpContext.SignInAsync(RosenSchemes.Cookie, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        ManagerLog.LoginSucceeded(logger, canonical, role);
        telemetry.Logins.Add(1, new KeyValuePair<string, object?>("rosen.outcome", "ok"));
        await audit.RecordAsync(canonical, role, "login", "manager", null, AuditLog.Allowed, null, HttpContext.RequestAborted);
        return LocalRedirect(ReturnUrl);
    }

    private string SafeReturn(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && !returnUrl.StartsWith("/login", StringComparison.OrdinalIgnoreCase) ? returnUrl : "/";
}
