using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;

namespace Twist.Coordinator.Tests.Hosting;

public sealed class ParticipantCredentialValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" padded-secret")]
    [InlineData("line\nbreak-secret")]
    public void A_bearer_token_participants_could_never_accept_stops_the_start_naming_the_key(string token)
    {
        using var provider = Build(token);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TwistCoordinatorOptions>>().Value);

        Assert.Contains("Twist:Coordinator:ParticipantCredential:BearerToken", error.Message, StringComparison.Ordinal);
        if (token.Trim().Length > 0)
        {
            // The message names the key, never the secret.
            Assert.DoesNotContain(token.Trim(), error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_well_formed_bearer_token_is_accepted()
    {
        using var provider = Build("s3cret-token-for-participants");

        Assert.Equal("s3cret-token-for-participants", provider.GetRequiredService<IOptions<TwistCoordinatorOptions>>().Value.ParticipantCredential.BearerToken);
    }

    private static ServiceProvider Build(string token)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTwistCoordinator(o =>
        {
            o.UseSqlite(Path.Combine(Path.GetTempPath(), $"twist-validation-{Guid.NewGuid():N}.db"));
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.ParticipantCredential.BearerToken = token;
        });
        return services.BuildServiceProvider();
    }
}
