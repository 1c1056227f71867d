using Company.Participant1.Wallet;

namespace Company.Participant1;

/// <summary>Composes the service, so the tests run exactly what Program.cs runs.</summary>
public static class ParticipantApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var connectionString = builder.Configuration.GetConnectionString("Wallet")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Wallet, e.g. \"Data Source=data/wallet.db\".");

        builder.Services.AddSingleton(new WalletStore(connectionString));
        builder.Services.AddTwistParticipants();             // generated from the [TccParticipant] classes
        builder.Services.AddTwistParticipantOptions()         // binds Twist:Participant (the coordinator's credential)
            .UseSqliteGuard(connectionString);                // the guard lives in the wallet's own database

        var app = builder.Build();
        app.Services.GetRequiredService<WalletStore>().EnsureCreated();
#if (links == "grpc")
        // POST Try (and REST Confirm/Cancel) under /twist/participants, and the twist.v1.Participant gRPC service that
        // confirms and cancels the grpc:// links Try hands out (Twist:Participant:PublicBaseAddress); the coordinator
        // calls it on the HTTP/2 endpoint, Kestrel:Endpoints:Grpc in appsettings.json.
        app.MapTwistParticipants();
#else
        app.MapTwistParticipants();                           // POST Try, PUT Confirm, DELETE Cancel under /twist/participants
#endif
        app.MapWalletEndpoints();
        return app;
    }
}
