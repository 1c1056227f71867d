using Twist.Coordinator.Dispatch;

namespace Twist.Coordinator.Tests.Engine;

public sealed class DeliveryClassifierTests
{
    [Theory]
    [InlineData(200, true, "Done")]
    [InlineData(204, false, "Done")]
    [InlineData(404, false, "Done")] // nothing reserved: cancel is already true
    [InlineData(404, true, "Heuristic")]
    [InlineData(409, true, "Heuristic")]
    [InlineData(409, false, "Heuristic")]
    [InlineData(500, true, "Transient")]
    [InlineData(503, false, "Transient")]
    [InlineData(408, true, "Transient")]
    [InlineData(429, true, "Transient")]
    [InlineData(401, true, "Transient")] // a credential problem is retried, then parked for an operator
    [InlineData(302, true, "Transient")] // redirects are not followed (allow-list)
    public void Participant_answers_are_classified_as_the_protocol_says(int status, bool isConfirm, string expected)
    {
        Assert.Equal(Enum.Parse<DeliveryOutcome>(expected), DeliveryClassifier.Classify(status, isConfirm));
    }
}
