using Microsoft.Extensions.Options;
using Twist.Samples.Transfer.Game;

// GAME1 as a service of its own. The coordinator's bearer token is required (the SDK refuses to start without one):
//   Twist__Participant__CoordinatorCredential__BearerToken=<token> dotnet run --project samples/Twist.Samples.Transfer.Game -- --urls http://127.0.0.1:5082
// For grpc:// links (Confirm and Cancel through the twist.v1.Participant gRPC service on the same port), add
//   --Twist:Participant:PublicBaseAddress grpc://127.0.0.1:5082
try
{
    await GameService.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine("The service cannot start because its configuration is invalid:");
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine("  - " + failure);
    }

    return 2;
}
