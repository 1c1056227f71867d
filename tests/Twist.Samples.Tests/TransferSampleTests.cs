using System.Net;
using Twist.Samples.Transfer;
using Twist.Samples.Transfer.Participants;

namespace Twist.Samples.Tests;

public sealed class TransferSampleTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_seed_003_story_runs_with_the_embedded_coordinator_and_keeps_every_invariant()
    {
        using var output = new StringWriter();

        var exitCode = await TransferStory.RunAsync(new SampleOptions(), output, Ct);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("Result: OK", text, StringComparison.Ordinal);
        Assert.Contains("money conserved ($900 + $0 held + $100 spent = $1000) [ok]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hosted_coordinator_needs_an_address_and_the_participant_token()
    {
        Assert.Contains("--address", SampleOptions.Parse(["--coordinator", "grpc"]).Error, StringComparison.Ordinal);
        Assert.Contains("--participant-token", SampleOptions.Parse(["--coordinator", "grpc", "--address", "http://127.0.0.1:5080"]).Error, StringComparison.Ordinal);

        var (options, error) = SampleOptions.Parse(["--coordinator", "grpc", "--address", "http://127.0.0.1:5080", "--api-key", "k", "--participant-token", "t"]);

        Assert.Null(error);
        Assert.Equal(Twist.Client.TwistCoordinatorKind.Grpc, options!.Coordinator);
        Assert.Equal("t", options.ParticipantToken);
    }

    [Fact]
    public async Task Participants_refuse_confirm_and_cancel_without_the_coordinator_token()
    {
        var folder = Directory.CreateTempSubdirectory("twist-sample-test-");
        try
        {
            await using var bank = await BankService.StartAsync(Path.Combine(folder.FullName, "bank.db"), "right-token", verbose: false, Ct);
            using var http = new HttpClient();

            using var anonymous = await http.PutAsync(new Uri(bank.BaseAddress, "api/bank/debits/t1"), null, Ct);
            using var wrong = new HttpRequestMessage(HttpMethod.Delete, new Uri(bank.BaseAddress, "api/bank/debits/t1"));
            wrong.Headers.Authorization = new("Bearer", "wrong-token");
            using var wrongAnswer = await http.SendAsync(wrong, Ct);
            using var right = new HttpRequestMessage(HttpMethod.Put, new Uri(bank.BaseAddress, "api/bank/debits/t1"));
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
}
