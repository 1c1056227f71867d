using Twist.Coordinator.Engine;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Tests.Engine;

public sealed class DecisionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static StoredTransaction Transaction(TimeSpan expiresIn, params TimeSpan[] linkExpiries) => new()
    {
        Tid = "t1",
        Status = TransactionStatus.Active,
        CreatedAt = Now.AddSeconds(-1),
        ExpiresAt = Now + expiresIn,
        Participants = linkExpiries.Select((e, i) => new StoredParticipant
        {
            Id = i + 1,
            Target = ParticipantTarget.ForLink(new Uri($"http://p{i}/t1")),
            Expires = Now + e,
            Status = ParticipantStatus.Registered,
        }).ToArray(),
    };

    [Fact]
    public void Confirm_stands_when_the_transaction_and_every_link_are_within_their_deadlines()
    {
        var decision = DecisionRules.ForConfirm(Transaction(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), Now);
        Assert.Equal(new Decision(TransactionStatus.Confirming, null), decision);
    }

    [Fact]
    public void Confirm_of_a_transaction_past_its_deadline_becomes_cancel_with_reason_timeout()
    {
        var decision = DecisionRules.ForConfirm(Transaction(TimeSpan.FromMilliseconds(-1), TimeSpan.FromSeconds(5)), Now);
        Assert.Equal(new Decision(TransactionStatus.Cancelling, "timeout"), decision);
    }

    [Fact]
    public void Confirm_with_one_expired_link_becomes_cancel_with_reason_link_expired()
    {
        var decision = DecisionRules.ForConfirm(Transaction(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(-1)), Now);
        Assert.Equal(new Decision(TransactionStatus.Cancelling, "link-expired"), decision);
    }

    [Fact]
    public void A_link_expiring_exactly_now_is_still_valid()
    {
        var decision = DecisionRules.ForConfirm(Transaction(TimeSpan.FromSeconds(5), TimeSpan.Zero), Now);
        Assert.Equal(TransactionStatus.Confirming, decision.Status);
    }

    [Fact]
    public void Confirm_without_participants_is_allowed()
    {
        Assert.Equal(TransactionStatus.Confirming, DecisionRules.ForConfirm(Transaction(TimeSpan.FromSeconds(5)), Now).Status);
    }

    [Fact]
    public void Cancel_carries_its_reason()
    {
        Assert.Equal(new Decision(TransactionStatus.Cancelling, "operator"), DecisionRules.ForCancel(DecisionRules.Operator));
    }
}
