using System.Net;
using Twist.Client;
using Twist.Samples.Tests.Infrastructure;
using Twist.Samples.Transfer;
using Twist.Samples.Transfer.Bank;

namespace Twist.Samples.Tests;

public sealed class TransferSampleTests
{
    private const string ParticipantToken = "sample-test-participant-token";

    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_seed_003_story_runs_with_the_embedded_coordinator_and_keeps_every_invariant()
    {
        using var output = new StringWriter();

        var exitCode = await TransferStory.RunAsync(new SampleOptions(), output, Ct);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("1) USER1 buys 100 points for $100.", text, StringComparison.Ordinal);
        Assert.Contains("money conserved ($900 + $0 held + $100 spent = $1000) [ok]", text, StringComparison.Ordinal);
        Assert.Contains("Summary: 4 purchases, 1 confirmed, 3 cancelled and fully restored", text, StringComparison.Ordinal);
        Assert.Contains("Result: OK", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_the_coordinator_confirms_BANK1_over_REST_and_GAME1_over_gRPC_as_the_story_shows()
    {
        using var output = new StringWriter();

        var exitCode = await TransferStory.RunAsync(new SampleOptions(), output, Ct);

        // The link lines are what the coordinator recorded (its GetAsync), not what the story was told.
        var links = LinkLines(output.ToString());
        Assert.True(exitCode == 0, output.ToString());
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/api/bank/debits/\{tid\}: Confirmed over REST$", links[0]);
        Assert.Matches(@"^grpc://127\.0\.0\.1:\d+/api/game/points/\{tid\}: Confirmed over gRPC$", links[1]);
        Assert.Equal(6, links.Count); // purchase 1: both confirmed; 2: BANK1 cancelled; 3: both cancelled; 4: nothing reserved
        Assert.Matches(@"^grpc://127\.0\.0\.1:\d+/api/game/points/\{tid\}: Cancelled over gRPC$", links[4]);
        Assert.Equal("none: nothing was reserved", links[5]);
    }

    [Fact]
    public async Task With_game_links_http_both_participants_are_confirmed_over_REST()
    {
        var (options, error) = SampleOptions.Parse(["--game-links", "http"]);
        Assert.Null(error);
        using var output = new StringWriter();

        var exitCode = await TransferStory.RunAsync(options!, output, Ct);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("GAME1 http://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.All(LinkLines(text).Where(l => l != "none: nothing was reserved"), l => Assert.StartsWith("http://127.0.0.1:", l, StringComparison.Ordinal));
        Assert.Contains(LinkLines(text), l => l.Contains("/api/game/points/{tid}: Confirmed over REST", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_game_links_value_is_refused_with_the_choices()
    {
        var (options, error) = SampleOptions.Parse(["--game-links", "soap"]);

        Assert.Null(options);
        Assert.Equal("--game-links is 'soap'; use grpc or http.", error);
    }

    [Fact]
    public async Task The_readme_command_runs_the_story_in_its_own_process_and_exits_0_by_itself()
    {
        var folder = Directory.CreateTempSubdirectory("twist-sample-run-");
        try
        {
            // What `dotnet run --project samples/Twist.Samples.Transfer` runs, without the build step.
            await using var sample = ProgramProcess.Start("Twist.Samples.Transfer", [], new Dictionary<string, string>(), folder.FullName);

            var exitCode = await sample.WaitForExitAsync(TimeSpan.FromSeconds(90), Ct);

            Assert.True(exitCode == 0, sample.Output);
            Assert.Contains("Result: OK, every purchase was all-or-nothing.", sample.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("warn:", sample.Output, StringComparison.Ordinal); // without --verbose, no service logs
            Assert.Empty(folder.GetFileSystemInfos()); // its SQLite files went to a temporary folder, which it removed
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("rest")]
    public async Task The_story_runs_against_the_hosted_coordinator_process(string protocol)
    {
        var folder = Directory.CreateTempSubdirectory("twist-sample-hosted-");
        try
        {
            await using var coordinator = await HostedCoordinator.StartAsync(Path.Combine(folder.FullName, "coordinator.db"), ParticipantToken, Ct);
            var (options, error) = SampleOptions.Parse(
                ["--coordinator", protocol, "--address", coordinator.Address.ToString(), "--api-key", HostedCoordinator.ApiKey, "--participant-token", ParticipantToken]);
            Assert.Null(error);
            using var output = new StringWriter();

            var exitCode = await TransferStory.RunAsync(options!, output, Ct);

            var text = output.ToString();
            Assert.True(exitCode == 0, text + "\nCoordinator:\n" + coordinator.Process!.Output);
            Assert.Contains($"coordinator hosted, {protocol} at {coordinator.Address}", text, StringComparison.Ordinal);
            Assert.Contains(LinkLines(text), l => l.Contains("/api/game/points/{tid}: Confirmed over gRPC", StringComparison.Ordinal));
            Assert.Contains("Result: OK", text, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_hosted_coordinator_needs_an_address_and_the_participant_token()
    {
        Assert.Contains("--address", SampleOptions.Parse(["--coordinator", "grpc"]).Error, StringComparison.Ordinal);
        Assert.Contains("--participant-token", SampleOptions.Parse(["--coordinator", "grpc", "--address", "http://127.0.0.1:5080"]).Error, StringComparison.Ordinal);

        var (options, error) = SampleOptions.Parse(["--coordinator", "grpc", "--address", "http://127.0.0.1:5080", "--api-key", "k", "--participant-token", "t"]);

        Assert.Null(error);
        Assert.Equal(TwistCoordinatorKind.Grpc, options!.Coordinator);
        Assert.Equal("t", options.ParticipantToken);
    }

    [Fact]
    public void The_hosted_coordinator_can_be_chosen_with_the_sdk_configuration_keys_in_the_environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["Twist__Client__Coordinator"] = "Rest",
            ["Twist__Client__Address"] = "http://127.0.0.1:5080",
            ["Twist__Client__ApiKey"] = "key-from-env",
            ["Twist__Participant__CoordinatorCredential__BearerToken"] = "token-from-env",
        };

        var (options, error) = SampleOptions.Parse([], environment.GetValueOrDefault);
        var (overridden, _) = SampleOptions.Parse(["--coordinator", "grpc"], environment.GetValueOrDefault);

        Assert.Null(error);
        Assert.Equal(TwistCoordinatorKind.Rest, options!.Coordinator);
        Assert.Equal(new Uri("http://127.0.0.1:5080"), options.Address);
        Assert.Equal("key-from-env", options.ApiKey);
        Assert.Equal("token-from-env", options.ParticipantToken);
        Assert.Equal(TwistCoordinatorKind.Grpc, overridden!.Coordinator); // a flag wins over the environment
    }

    /// <summary>The story's "link" lines, without the prefix, in order.</summary>
    private static List<string> LinkLines(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("   link", StringComparison.Ordinal)).Select(l => l[7..].TrimStart())];

    [Fact]
    public async Task Participants_refuse_confirm_and_cancel_without_the_coordinator_token()
    {
        var folder = Directory.CreateTempSubdirectory("twist-sample-test-");
        try
        {
            var (app, address) = await BankService.StartAsync(
                [$"--Bank:Database={Path.Combine(folder.FullName, "bank.db")}", "--Twist:Participant:CoordinatorCredential:BearerToken=right-token", "--Logging:LogLevel:Default=None"], Ct);
            await using var bank = app;
            using var http = new HttpClient();

            using var anonymous = await http.PutAsync(new Uri(address, "api/bank/debits/t1"), null, Ct);
            using var wrong = new HttpRequestMessage(HttpMethod.Delete, new Uri(address, "api/bank/debits/t1"));
            wrong.Headers.Authorization = new("Bearer", "wrong-token");
            using var wrongAnswer = await http.SendAsync(wrong, Ct);
            using var right = new HttpRequestMessage(HttpMethod.Put, new Uri(address, "api/bank/debits/t1"));
            right.Headers.Authorization = new("Bearer", "right-token");
            using var rightAnswer = await http.SendAsync(right, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, rightAnswer.StatusCode); // authenticated; nothing reserved under t1
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_participant_service_refuses_to_start_without_the_coordinator_token()
    {
        var folder = Directory.CreateTempSubdirectory("twist-sample-test-");
        try
        {
            await using var bank = ProgramProcess.Start("Twist.Samples.Transfer.Bank", ["--urls", "http://127.0.0.1:0"], new Dictionary<string, string>(), folder.FullName);

            var exitCode = await bank.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("CoordinatorCredential", bank.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
