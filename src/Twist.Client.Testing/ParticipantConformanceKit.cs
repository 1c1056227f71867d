using Twist.Testing.Internal;

namespace Twist.Testing;

/// <summary>
/// Replays, against your own participant endpoint, what the Twist coordinator and callers do under failures: duplicate
/// Confirm, Cancel before Try (null compensation), a late Try after Cancel (hanging), Cancel after a failed Try, a
/// coordinator that crashed between phases and re-sends, and a timeout racing a Confirm. It checks the answers against
/// the protocol and, with <see cref="ParticipantConformanceOptions.Measures"/>, what your handlers really did, and
/// reports every mistake in a <see cref="ParticipantConformanceReport"/>.
/// </summary>
/// <remarks>
/// Point it at a participant in a test database: the scenarios reserve, confirm and cancel real transactions (a few
/// dozen, each with the request of <see cref="ParticipantConformanceOptions.CreateTryContent"/>). They run one after
/// the other, so measures are not disturbed by the kit itself; keep other traffic away from the measured quantities.
/// </remarks>
public sealed class ParticipantConformanceKit : IDisposable
{
    private readonly ParticipantConformanceOptions options;
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly ParticipantDriver driver;

    /// <summary>Initializes a new instance of the <see cref="ParticipantConformanceKit"/> class.</summary>
    /// <param name="options">Where the participant is and how to call it.</param>
    /// <param name="httpClient">
    /// The client to call it with, e.g. <c>WebApplicationFactory.CreateClient()</c> for an in-process participant;
    /// <see langword="null"/> for a new one (then <see cref="ParticipantConformanceOptions.BaseAddress"/> is required).
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are incomplete; the message names what to set.</exception>
    public ParticipantConformanceKit(ParticipantConformanceOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(httpClient?.BaseAddress);
        this.options = options;
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient();
        var baseAddress = options.BaseAddress ?? httpClient!.BaseAddress!;
        driver = new ParticipantDriver(http, new Uri(baseAddress, options.ResolvedTryPath), options);
    }

    /// <summary>Runs the selected scenarios and reports what the participant got wrong.</summary>
    /// <param name="cancellationToken">The token to cancel the run.</param>
    /// <returns>The report; it never throws for a participant's mistake (see <see cref="ParticipantConformanceReport.ThrowIfFailed"/>).</returns>
    public async Task<ParticipantConformanceReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var runner = new ConformanceScenarioRunner(driver, options);
        var results = new List<ConformanceScenarioResult>();
        foreach (var (scenario, summary, play) in Plan(runner))
        {
            if (!options.Scenarios.HasFlag(scenario))
            {
                continue;
            }

            if (scenario == ConformanceScenarios.CancelAfterFailedTry && options.CreateFailingTryContent is null)
            {
                results.Add(new ConformanceScenarioResult(scenario, ConformanceOutcome.Skipped,
                    "Needs CreateFailingTryContent: the body of a Try your participant refuses.", [], []));
                continue;
            }

            var run = new ScenarioRun(scenario, summary, options.Measures, cancellationToken);
            try
            {
                await run.StartAsync().ConfigureAwait(false);
                await play(run).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                run.Problem($"The scenario stopped: {ex.GetType().Name}: {ex.Message}");
            }

            results.Add(run.Result());
        }

        return new ParticipantConformanceReport(driver.TryUri, results);
    }

    /// <summary>Runs the scenarios and throws when one failed: the one-line assertion for xunit, NUnit or MSTest.</summary>
    /// <param name="cancellationToken">The token to cancel the run.</param>
    /// <returns>The report, when every scenario passed or was skipped.</returns>
    /// <exception cref="ParticipantConformanceException">A scenario failed; the message is the readable report.</exception>
    public async Task<ParticipantConformanceReport> AssertConformsAsync(CancellationToken cancellationToken = default)
    {
        var report = await RunAsync(cancellationToken).ConfigureAwait(false);
        report.ThrowIfFailed();
        return report;
    }

    /// <summary>Disposes the HttpClient the kit created; one passed in stays yours.</summary>
    public void Dispose()
    {
        if (ownsHttp)
        {
            http.Dispose();
        }
    }

    private static (ConformanceScenarios, string, Func<ScenarioRun, Task>)[] Plan(ConformanceScenarioRunner runner) =>
    [
        (ConformanceScenarios.DuplicateConfirm, ConformanceScenarioRunner.DuplicateConfirmSummary, runner.DuplicateConfirmAsync),
        (ConformanceScenarios.NullCompensation, ConformanceScenarioRunner.NullCompensationSummary, runner.NullCompensationAsync),
        (ConformanceScenarios.Hanging, ConformanceScenarioRunner.HangingSummary, runner.HangingAsync),
        (ConformanceScenarios.CancelAfterFailedTry, ConformanceScenarioRunner.CancelAfterFailedTrySummary, runner.CancelAfterFailedTryAsync),
        (ConformanceScenarios.CoordinatorCrash, ConformanceScenarioRunner.CoordinatorCrashSummary, runner.CoordinatorCrashAsync),
        (ConformanceScenarios.TimeoutRacingConfirm, ConformanceScenarioRunner.TimeoutRacingConfirmSummary, runner.TimeoutRacingConfirmAsync),
    ];
}
