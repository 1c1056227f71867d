using System.ComponentModel.DataAnnotations;

namespace Company.Caller1.Orders;

/// <summary>Where the participants of an order are, bound from the <c>Checkout</c> section.</summary>
public sealed class CheckoutOptions
{
    public const string SectionName = "Checkout";

    /// <summary>Gets or sets the wallet participant's Try endpoint.</summary>
    [Required]
    public Uri? WalletTryUri { get; set; }

    /// <summary>Gets or sets how long an order's transaction may stay undecided.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
