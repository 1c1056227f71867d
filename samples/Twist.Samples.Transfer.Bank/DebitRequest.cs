namespace Twist.Samples.Transfer.Bank;

/// <summary>The Try request of a debit: which account, how many whole dollars.</summary>
/// <param name="Account">The account id, e.g. <c>USER1</c>.</param>
/// <param name="Amount">The dollars to hold.</param>
public sealed record DebitRequest(string Account, long Amount);
