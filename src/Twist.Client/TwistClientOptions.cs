namespace Twist.Client;

/// <summary>
/// Configures the Twist caller SDK. Bound from the <c>Twist:Client</c> configuration section, then from the delegate
/// given to <c>AddTwistClient</c>; validated at start-up. Defaults are the recommended values.
/// </summary>
public sealed class TwistClientOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Twist:Client";

    /// <summary>Gets or sets how the coordinator is reached.</summary>
    /// <value>The default value is <see cref="TwistCoordinatorKind.Embedded"/>.</value>
    public TwistCoordinatorKind Coordinator { get; set; } = TwistCoordinatorKind.Embedded;

    /// <summary>
    /// Gets or sets the base address of a hosted coordinator, for example <c>http://127.0.0.1:5080</c>. Required for
    /// <see cref="TwistCoordinatorKind.Grpc"/> and <see cref="TwistCoordinatorKind.Rest"/>; ignored when embedded.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? Address { get; set; }

    /// <summary>
    /// Gets or sets the API key sent to a hosted coordinator (header <c>X-Api-Key</c>). It is never logged: it is
    /// redacted from <see cref="ToString"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no key is sent).</value>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets how long a transaction may stay undecided when <see cref="ITwistClient.BeginAsync"/> is given no
    /// timeout. Past it the coordinator cancels the transaction.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long one call to a hosted coordinator may take, and how long disposing an undecided
    /// <see cref="TwistTransaction"/> waits for its Cancel. It must exceed the coordinator's decision wait
    /// (10 seconds by default) so that Confirm can report the outcome.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns the options with the API key redacted, for logs.</summary>
    /// <returns>A one-line description of the options.</returns>
    public override string ToString() =>
        $"Coordinator={Coordinator}, Address={Address?.ToString() ?? "none"}, ApiKey={(ApiKey is null ? "none" : "***")}, " +
        $"DefaultTimeout={DefaultTimeout}, RequestTimeout={RequestTimeout}";
}
