namespace Company.Participant1.Wallet;

public sealed record OpenAccount(string Account, long Balance);

/// <summary>The service's own API: open an account and read a balance (the Twist endpoints are mapped separately).</summary>
public static class WalletEndpoints
{
    public static void MapWalletEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/wallets", async (OpenAccount request, WalletStore store, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(request.Account) || request.Balance < 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["account"] = ["An account and a non-negative balance are required."] });
            }

            await store.OpenAccountAsync(request.Account, request.Balance, cancellationToken);
            return Results.NoContent();
        });

        endpoints.MapGet("/wallets/{account}", async (string account, WalletStore store, CancellationToken cancellationToken) =>
            await store.FindAsync(account, cancellationToken) is { } wallet ? Results.Ok(wallet) : Results.NotFound());

        endpoints.MapGet("/healthz", () => Results.Ok("healthy"));
    }
}
