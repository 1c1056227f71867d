namespace Twist.Coordinator.Storage;

/// <summary>
/// Where and how a participant receives Confirm and Cancel. A seed participant link uses PUT (confirm) and DELETE
/// (cancel) on one URI; a Brobridge v1 task carries its own method, URI and headers per action.
/// </summary>
public sealed record ParticipantTarget
{
    /// <summary>Gets the link URI (for a task, the confirm action's URI). Unique within a transaction.</summary>
    public required Uri Uri { get; init; }

    /// <summary>Gets the Brobridge v1 task id, when registered as a task.</summary>
    public string? TaskId { get; init; }

    /// <summary>Gets the confirm action of a task; <see langword="null"/> for a plain link (PUT <see cref="Uri"/>).</summary>
    public ParticipantAction? ConfirmAction { get; init; }

    /// <summary>Gets the cancel action of a task; <see langword="null"/> for a plain link (DELETE <see cref="Uri"/>).</summary>
    public ParticipantAction? CancelAction { get; init; }

    /// <summary>Creates the target of a seed participant link.</summary>
    /// <param name="uri">The link URI.</param>
    /// <returns>The target.</returns>
    public static ParticipantTarget ForLink(Uri uri) => new() { Uri = uri };
}

/// <summary>One Brobridge v1 task action: the HTTP method, URI and extra headers to call.</summary>
/// <param name="Method">The HTTP method (PUT, DELETE or POST).</param>
/// <param name="Uri">The absolute URI.</param>
/// <param name="Headers">Extra headers to send.</param>
public sealed record ParticipantAction(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers);
