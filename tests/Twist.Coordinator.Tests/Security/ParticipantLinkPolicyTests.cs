using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Security;

namespace Twist.Coordinator.Tests.Security;

public sealed class ParticipantLinkPolicyTests
{
    private static ParticipantLinkPolicy Policy(params string[] hosts)
    {
        var options = new TwistCoordinatorOptions();
        foreach (var h in hosts)
        {
            options.AllowedParticipantHosts.Add(h);
        }

        return new ParticipantLinkPolicy(Options.Create(options));
    }

    [Theory]
    [InlineData("http://bank.internal/transaction/1")]
    [InlineData("https://api.svc.cluster.local:8443/t/1")]
    [InlineData("grpc://10.1.2.3:5000/t/1")]
    [InlineData("http://127.0.0.1:5000/t/1")]
    public void Accepts_links_to_allowed_hosts(string uri)
    {
        var policy = Policy("bank.internal", "*.svc.cluster.local", "10.0.0.0/8", "127.0.0.1");
        Assert.Null(policy.Check(new Uri(uri)));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1", "metadata")]
    [InlineData("http://[fe80::1]/x", "link-local")]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("ftp://bank.internal/x", "scheme")]
    [InlineData("http://user:pw@bank.internal/x", "credentials")]
    [InlineData("http://evil.example/x", "AllowedParticipantHosts")]
    [InlineData("http://11.0.0.1/x", "AllowedParticipantHosts")]
    [InlineData("http://bank.internal.evil.example/x", "AllowedParticipantHosts")]
    public void Refuses_links_with_a_reason(string uri, string reasonPart)
    {
        var policy = Policy("bank.internal", "10.0.0.0/8", "169.254.0.0/16", "metadata.google.internal", "fe80::/10");
        var error = policy.Check(new Uri(uri));
        Assert.NotNull(error);
        Assert.Contains(reasonPart, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Refuses_every_host_when_the_allow_list_is_empty()
    {
        Assert.NotNull(Policy().Check(new Uri("http://127.0.0.1/x")));
    }
}
