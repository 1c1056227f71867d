namespace Company.Caller1.Orders;

public static class OrderEndpoints
{
    public static void MapOrderEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/orders", async (Order order, OrderCheckout checkout, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(order.Account) || order.Amount <= 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["order"] = ["An account and a positive amount are required."] });
            }

            var outcome = await checkout.PlaceAsync(order, cancellationToken);
            if (outcome.Placed)
            {
                return Results.Ok(new { tid = outcome.Tid, status = outcome.Status.ToString() });
            }

            // A participant said no (4xx) or failed (5xx): the transaction was cancelled.
            return Results.Problem(
                title: "The order was not placed; nothing was charged.",
                detail: outcome.Reason,
                statusCode: outcome.RefusedWith < 500 ? StatusCodes.Status409Conflict : StatusCodes.Status502BadGateway,
                extensions: new Dictionary<string, object?> { ["tid"] = outcome.Tid });
        });

        endpoints.MapGet("/healthz", () => Results.Ok("healthy"));
    }
}
