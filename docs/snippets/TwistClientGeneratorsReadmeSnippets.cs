using Twist.Participants;

namespace Twist.Docs.Snippets;

// The code of src/Twist.Client.Generators/README.md: the generator runs on this project, so a signature it stopped
// accepting fails the build with its TWIST diagnostic.
#region snippet: twist-client-generators-readme-signatures
[TccParticipant("points-grant")]
public sealed class PointsGrant
{
    [Try]      // Task<TResult> (the Try answer's "result") or Task; TRequest is the JSON body
    public Task<Reservation> HoldAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new Reservation(request.Account, request.Amount));

    [Confirm]  // Task, never ValueTask or async void; an instance method declared in this class
    public Task GrantAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    [Cancel]
    public Task ReleaseAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
#endregion
