using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Twist.Coordinator.CrashTests;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task SIGTERM_answers_the_confirms_in_flight_and_loses_no_decision()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("twist-sigterm-").FullName;
        var coordinatorDb = Path.Combine(dir, "coordinator.db");
        await using var bank = await MoneyParticipant.StartAsync(Path.Combine(dir, "bank.db"), 1_000_000, TimeSpan.FromMinutes(1));
        await using var game = await MoneyParticipant.StartAsync(Path.Combine(dir, "game.db"), 0, TimeSpan.FromMinutes(1));
        game.ConfirmDelay = TimeSpan.FromMilliseconds(800);
        using var participants = new HttpClient();
        var host = await CoordinatorProcess.StartAsync(coordinatorDb, ct);
        using var caller = new HttpClient { BaseAddress = host.Address };
        caller.DefaultRequestHeaders.Add("X-Api-Key", CoordinatorProcess.ApiKey);

        async Task<(string Tid, HttpStatusCode Status)> TransferAsync()
        {
            using var begin = await caller.PostAsJsonAsync("/api/v1/transactions", new { timeout = 30000 }, ct);
            var tid = (await begin.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("tid").GetString()!;
            var links = new List<object>();
            foreach (var (participant, amount) in new[] { (bank, -100L), (game, 100L) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(participant.BaseAddress, $"/try/{amount}"));
                request.Headers.Add("Twist-Transaction-ID", tid);
                using var answer = await participants.SendAsync(request, ct);
                var link = (await answer.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("participantLink");
                links.Add(new { uri = link.GetProperty("uri").GetString(), expires = link.GetProperty("expires").GetDateTimeOffset() });
            }

            using var confirm = await caller.PostAsJsonAsync($"/api/v1/transactions/{tid}/confirm", new { tid, participantLinks = links }, ct);
            return (tid, confirm.StatusCode);
        }

        var transfers = Enumerable.Range(0, 20).Select(_ => TransferAsync()).ToArray();
        while (game.ConfirmsReceived < transfers.Length)
        {
            await Task.Delay(10, ct); // wait until every confirm is in flight, held up by the slow participant
        }

        var exitCode = await host.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        var answers = await Task.WhenAll(transfers); // every request in flight got an answer: none was cut off

        Assert.Equal(0, exitCode);
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{a.Tid}: {a.Status}"));

        await using var restarted = await CoordinatorProcess.StartAsync(coordinatorDb, ct);
        using var reader = new HttpClient { BaseAddress = restarted.Address };
        reader.DefaultRequestHeaders.Add("X-Api-Key", CoordinatorProcess.ApiKey);
        foreach (var (tid, _) in answers)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string? status;
            do
            {
                var body = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{tid}", ct);
                status = body.GetProperty("status").GetString();
                if (status != "Confirmed")
                {
                    await Task.Delay(100, ct);
                }
            }
            while (status != "Confirmed" && DateTime.UtcNow < deadline);

            Assert.Equal("Confirmed", status);
        }

        Assert.Equal(2000, await game.BalanceAsync());
        Assert.Equal(1_000_000 - 2000, await bank.BalanceAsync());
        Directory.Delete(dir, recursive: true);
    }
}
