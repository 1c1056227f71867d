namespace Twist.Testing;

/// <summary>Tells <see cref="ParticipantConformanceKit"/> where the participant is, how to call it and how to see its effects.</summary>
public sealed class ParticipantConformanceOptions
{
    /// <summary>Gets or sets the participant service's base address, e.g. <c>http://127.0.0.1:5081</c>.</summary>
    /// <value>The default value is <see langword="null"/>: the HttpClient's <see cref="HttpClient.BaseAddress"/>.</value>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the participant's name, as in <c>[TccParticipant("wallet-debit")]</c>; its Try endpoint is then
    /// <c>/twist/participants/{name}</c> unless <see cref="TryPath"/> is set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ParticipantName { get; set; }

    /// <summary>Gets or sets the path of the Try endpoint (<c>POST</c>), e.g. <c>/api/bank/debits</c>, for participants with a custom route.</summary>
    /// <value>The default value is <see langword="null"/>: <c>/twist/participants/{ParticipantName}</c>.</value>
    public string? TryPath { get; set; }

    /// <summary>
    /// Gets or sets the body of a Try the participant accepts, given the transaction id, e.g.
    /// <c>_ => JsonContent.Create(new { account = "USER1", amount = 1 })</c>. Every scenario uses a new transaction and
    /// the kit confirms some of them, so the participant must be able to accept it a few dozen times.
    /// </summary>
    /// <value>The default value is <see langword="null"/>; it is required.</value>
    public Func<string, HttpContent>? CreateTryContent { get; set; }

    /// <summary>
    /// Gets or sets the body of a Try the participant refuses or fails (an insufficient balance, an input your handler
    /// rejects after writing something), for <see cref="ConformanceScenarios.CancelAfterFailedTry"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: that scenario is skipped.</value>
    public Func<string, HttpContent>? CreateFailingTryContent { get; set; }

    /// <summary>Gets the numbers the kit reads to see what Confirm and Cancel really did; see <see cref="ConformanceMeasure"/>.</summary>
    public IList<ConformanceMeasure> Measures { get; } = [];

    /// <summary>Gets or sets the bearer token the coordinator presents on Confirm and Cancel (<c>Twist:Participant:CoordinatorCredential:BearerToken</c>).</summary>
    /// <value>The default value is <see langword="null"/>: none sent.</value>
    public string? CoordinatorBearerToken { get; set; }

    /// <summary>Gets or sets the HMAC key the coordinator signs Confirm and Cancel with (<c>Twist:Participant:CoordinatorCredential:HmacKey</c>).</summary>
    /// <value>The default value is <see langword="null"/>: no signature sent.</value>
    public string? CoordinatorHmacKey { get; set; }

    /// <summary>Gets or sets which scenarios run.</summary>
    /// <value>The default value is <see cref="ConformanceScenarios.All"/>.</value>
    public ConformanceScenarios Scenarios { get; set; } = ConformanceScenarios.All;

    /// <summary>Gets or sets how long the crashed coordinator stays away before it re-sends Confirm or Cancel.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan ResendDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many times Confirm and Cancel are raced against each other; a race may need several rounds to show.</summary>
    /// <value>The default value is 5.</value>
    public int RaceRounds { get; set; } = 5;

    /// <summary>
    /// Gets or sets how long the kit may wait for a reservation's link to expire, to send a Confirm after it: when the
    /// participant link's <c>expires</c> is further away, that part of <see cref="ConformanceScenarios.TimeoutRacingConfirm"/> is left out.
    /// </summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: never wait.</value>
    public TimeSpan MaxExpiryWait { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the time limit of one call to the participant.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options; every mistake is named with the property to set.</summary>
    /// <param name="httpBaseAddress">The HttpClient's base address, if any.</param>
    /// <exception cref="ArgumentException">The options are incomplete or out of range.</exception>
    internal void Validate(Uri? httpBaseAddress)
    {
        var errors = new List<string>();
        if (BaseAddress is null && httpBaseAddress is null)
        {
            errors.Add("Set BaseAddress (e.g. http://127.0.0.1:5081) or pass an HttpClient with a BaseAddress.");
        }
        else if ((BaseAddress ?? httpBaseAddress) is { IsAbsoluteUri: false })
        {
            errors.Add($"BaseAddress '{BaseAddress ?? httpBaseAddress}' must be an absolute http or https URI.");
        }

        if (string.IsNullOrWhiteSpace(TryPath) && string.IsNullOrWhiteSpace(ParticipantName))
        {
            errors.Add("Set ParticipantName (its Try endpoint is /twist/participants/{name}) or TryPath (e.g. /api/bank/debits).");
        }

        if (CreateTryContent is null)
        {
            errors.Add("Set CreateTryContent to the body of a Try the participant accepts, e.g. _ => JsonContent.Create(new { account = \"USER1\", amount = 1 }).");
        }

        if (ResendDelay < TimeSpan.Zero || ResendDelay > TimeSpan.FromMinutes(5))
        {
            errors.Add($"ResendDelay is {ResendDelay}; it must be between 00:00:00 and 00:05:00.");
        }

        if (RaceRounds is < 1 or > 1000)
        {
            errors.Add($"RaceRounds is {RaceRounds}; it must be between 1 and 1000.");
        }

        if (MaxExpiryWait < TimeSpan.Zero || MaxExpiryWait > TimeSpan.FromMinutes(10))
        {
            errors.Add($"MaxExpiryWait is {MaxExpiryWait}; it must be between 00:00:00 and 00:10:00.");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            errors.Add($"CallTimeout is {CallTimeout}; it must be positive.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("The participant conformance options are invalid: " + string.Join(" ", errors));
        }
    }

    /// <summary>Gets the Try endpoint's path.</summary>
    internal string ResolvedTryPath => "/" + (TryPath ?? "/twist/participants/" + ParticipantName).Trim('/');
}
