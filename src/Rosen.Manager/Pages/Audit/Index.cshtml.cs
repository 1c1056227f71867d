using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rosen.Manager.Audit;
using Rosen.Manager.Security;

namespace Rosen.Manager.Pages.Audit;

[Authorize(Policy = RosenPolicies.Operator)]
public sealed class IndexModel(AuditLog audit) : PageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Entries = await audit.ListAsync(300, cancellationToken: cancellationToken);
}
