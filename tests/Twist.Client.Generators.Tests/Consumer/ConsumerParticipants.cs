using Twist.Participants;

namespace Twist.Client.Generators.Tests.Consumer;

// Participants of this test project itself: the generator runs as a compiler extension during this project's build
// (see the .csproj), exactly as it does in an app that references the Twist.Client package.

public sealed record DebitRequest(string Account, decimal Amount);

public sealed record Reservation(string Id);

[TccParticipant("consumer-wallet", Route = "/wallet/debit")]
public sealed class ConsumerWallet
{
    public List<string> Calls { get; } = [];

    [Try]
    public Task<Reservation> ReserveAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken)
    {
        Calls.Add($"try {request.Account} {request.Amount} {context.Tid}");
        return Task.FromResult(new Reservation("r-" + context.Tid));
    }

    [Confirm]
    public Task CommitAsync(TccContext context, CancellationToken cancellationToken)
    {
        Calls.Add($"confirm {context.Tid}");
        return Task.CompletedTask;
    }

    [Cancel]
    public Task ReleaseAsync(TccContext context, CancellationToken cancellationToken)
    {
        Calls.Add($"cancel {context.Tid}");
        return Task.CompletedTask;
    }
}

[TccParticipant("consumer-points")]
internal sealed class ConsumerPoints
{
    public List<string> Calls { get; } = [];

    [Try]
    internal async Task AddAsync(int points, TccContext context, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Calls.Add($"try {points}");
    }

    [Confirm]
    internal Task ConfirmAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    [Cancel]
    internal Task CancelAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
