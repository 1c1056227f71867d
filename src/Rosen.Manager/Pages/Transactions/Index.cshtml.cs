using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rosen.Collector.Storage;
using Rosen.Manager.Operations;

namespace Rosen.Manager.Pages.Transactions;

public sealed class IndexModel(ISpanStore store, CoordinatorDirectory coordinators, TimeProvider timeProvider) : PageModel
{
    public const int PageSize = 25;

    public static readonly IReadOnlyList<string> Statuses = ["Active", "Confirming", "Confirmed", "Cancelling", "Cancelled"];

    public static readonly IReadOnlyList<(string Value, string Label)> Ages = [("15m", "last 15 minutes"), ("1h", "last hour"), ("24h", "last 24 hours"), ("7d", "last 7 days"), ("all", "any time")];

    [BindProperty(SupportsGet = true, Name = "id")]
    public string? TransactionId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Participant { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Age { get; set; } = "24h";

    [BindProperty(SupportsGet = true)]
    public bool Errors { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<TransactionSummary> Items { get; private set; } = [];

    public bool HasMore { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public IReadOnlyList<(string Coordinator, CoordinatorTransaction Transaction)> NeedingAttention { get; private set; } = [];

    public IReadOnlyList<string> CoordinatorErrors { get; private set; } = [];

    /// <summary>Gets the coordinators' current status of the listed transactions (spans only know the last one reported).</summary>
    public IReadOnlyDictionary<string, string> CurrentStatus { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = timeProvider.GetUtcNow();
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        TransactionId = Clip(TransactionId, 200);
        Participant = Clip(Participant, 200);
        Status = Statuses.FirstOrDefault(s => string.Equals(s, Status, StringComparison.OrdinalIgnoreCase));
        DateTimeOffset? after = Age switch
        {
            "15m" => Now.AddMinutes(-15),
            "1h" => Now.AddHours(-1),
            "7d" => Now.AddDays(-7),
            "all" => null,
            _ => Now.AddHours(-24),
        };
        if (Ages.All(a => a.Value != Age))
        {
            Age = "24h";
        }

        var found = await store.ListTransactionsAsync(
            new TransactionSearch
            {
                TransactionId = TransactionId,
                Status = Status,
                Participant = Participant,
                StartedAfter = after,
                ErrorsOnly = Errors,
                Limit = PageSize + 1,
                Offset = (PageNumber - 1) * PageSize,
            },
            cancellationToken);
        HasMore = found.Count > PageSize;
        Items = found.Take(PageSize).ToList();
        if (coordinators.IsConfigured)
        {
            (NeedingAttention, CoordinatorErrors) = await coordinators.ListNeedingAttentionAsync(cancellationToken);
            CurrentStatus = await coordinators.GetStatusesAsync(Items.Select(i => i.TransactionId), cancellationToken);
        }
    }

    public string PageLink(int page) =>
        Url.Page("/Transactions/Index", new { id = TransactionId, status = Status, participant = Participant, age = Age, errors = Errors ? "true" : null, page })!;

    private static string? Clip(string? value, int length) => string.IsNullOrWhiteSpace(value) ? null : value.Trim() is var t && t.Length > length ? t[..length] : value.Trim();
}
