namespace Twist.Participants;

/// <summary>
/// Configures the participant runtime. Bound from the <c>Twist:Participant</c> configuration section, then from the
/// delegate given to <c>AddTwistParticipantOptions</c>; validated at start-up. Defaults are the recommended values.
/// </summary>
public sealed class TwistParticipantOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Twist:Participant";

    /// <summary>
    /// Gets or sets the SQLite connection string of the guard's database, e.g. <c>Data Source=wallet.db</c>: the
    /// database your handlers write to, so that guard rows and business writes commit together. For PostgreSQL call
    /// <c>UseGuard(dataSource)</c> on the participant builder instead; a guard given that way wins over this setting.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? GuardConnectionString { get; set; }

    /// <summary>Gets the credential the coordinator must present on Confirm (PUT) and Cancel (DELETE) calls.</summary>
    public TwistCoordinatorCredentialOptions CoordinatorCredential { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether Confirm and Cancel calls are accepted without a credential when
    /// <see cref="CoordinatorCredential"/> is empty. Without a credential anyone who can reach the service can confirm
    /// or cancel its reservations, so start-up fails unless this is set explicitly (and a warning is logged).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowUnauthenticatedCoordinator { get; set; }

    /// <summary>
    /// Gets or sets how long a reservation is kept past the transaction's deadline (the caller's <c>Twist-Deadline</c>),
    /// or past its Try when the caller sent no deadline: the participant link's <c>expires</c>. When neither Confirm
    /// nor Cancel arrives by then, the sweeper cancels it (and calls the Cancel handler).
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan ReservationLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets the longest a reservation is kept after its Try, whatever deadline the caller sent. A transaction
    /// that runs longer has its link expire first, and the coordinator then decides Cancel (<c>link-expired</c>).
    /// </summary>
    /// <value>The default value is 1 day; a smaller value than <see cref="ReservationLifetime"/> counts as that.</value>
    public TimeSpan MaxReservationLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets the cap actually applied: the larger of <see cref="ReservationLifetime"/> and <see cref="MaxReservationLifetime"/>.</summary>
    internal TimeSpan EffectiveMaxReservationLifetime => MaxReservationLifetime > ReservationLifetime ? MaxReservationLifetime : ReservationLifetime;

    /// <summary>Gets or sets how often the sweeper looks for expired reservations and for guard rows past retention.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many rows the sweeper handles in one batch, which bounds each database round trip.</summary>
    /// <value>The default value is 100.</value>
    public int SweepBatchSize { get; set; } = 100;

    /// <summary>
    /// Gets or sets how long confirmed and cancelled guard rows are kept. A Cancel tombstone refuses a late Try only
    /// while it exists, so keep this well above your longest transaction timeout plus the coordinator's retry budget.
    /// </summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan GuardRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Gets or sets the base URI participant links are built from (<c>{base}{route}/{tid}</c>), e.g.
    /// <c>https://wallet.internal:8443</c>, for services behind a proxy whose own address the coordinator cannot reach.
    /// A <c>grpc://host:port</c> (or <c>grpcs://</c>) base makes the coordinator confirm and cancel through the gRPC
    /// participant service instead (see <see cref="EnableGrpc"/>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the Try request's scheme, host and path base.</value>
    public Uri? PublicBaseAddress { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <c>MapTwistParticipants()</c> also serves the gRPC participant service
    /// (<c>twist.v1.Participant</c>), which the coordinator calls for <c>grpc://</c> links. Set
    /// <see cref="PublicBaseAddress"/> to <c>grpc://host:port</c> to make Try answers hand out such links; the endpoint
    /// must then speak HTTP/2 (cleartext HTTP/2 needs a Kestrel endpoint with <c>Protocols = Http2</c>).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableGrpc { get; set; } = true;

    /// <inheritdoc/>
    public override string ToString() =>
        $"Guard={(GuardConnectionString is null ? "code" : "sqlite")}, CoordinatorCredential=({CoordinatorCredential}), " +
        $"AllowUnauthenticatedCoordinator={AllowUnauthenticatedCoordinator}, ReservationLifetime={ReservationLifetime}, MaxReservationLifetime={MaxReservationLifetime}, " +
        $"SweepInterval={SweepInterval}, SweepBatchSize={SweepBatchSize}, GuardRetention={GuardRetention}, PublicBaseAddress={PublicBaseAddress}, EnableGrpc={EnableGrpc}";
}
