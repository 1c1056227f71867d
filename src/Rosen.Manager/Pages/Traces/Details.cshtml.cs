using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rosen.Collector.Storage;
using Rosen.Manager.Transactions;

namespace Rosen.Manager.Pages.Traces;

public sealed class DetailsModel(ISpanStore store) : PageModel
{
    public string TraceId { get; private set; } = string.Empty;

    public TransactionTimeline Timeline { get; private set; } = TimelineBuilder.Build(string.Empty, []);

    public IReadOnlyList<string> Transactions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string traceId, CancellationToken cancellationToken)
    {
        if (traceId is not { Length: 32 } || !traceId.All(char.IsAsciiHexDigit))
        {
            return NotFound();
        }

        TraceId = traceId.ToLowerInvariant();
        var spans = await store.GetTraceAsync(TraceId, cancellationToken);
        Timeline = TimelineBuilder.Build(TraceId, spans);
        Transactions = spans.Select(s => s.TransactionId).OfType<string>().Distinct().ToList();
        return Page();
    }
}
