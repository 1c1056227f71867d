using System.Text;
using Twist.Protocol;

namespace Twist.Docs.Tests;

/// <summary>
/// docs/protocol.md gives implementers in other languages a test vector for the coordinator's HMAC signature; it must
/// be what <see cref="TwistSignature"/> computes, or every participant written from the docs would reject the coordinator.
/// </summary>
public sealed class SignatureTestVectorTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private const string Uri = "http://bank.internal/transaction/0197a1b2c3d4";
    private const string Tid = "0197a1b2c3d4";
    private const long UnixSeconds = 1767225600;
    private const string Documented = "872f38f9972ef2e035774229d671f275b90166a4ea5c69c8c21be773af4277db";

    [Fact]
    public void The_documented_test_vector_is_what_TwistSignature_computes()
    {
        var computed = TwistSignature.Compute(Encoding.UTF8.GetBytes(Key), "PUT", Uri, Tid, TwistHeaders.PhaseConfirm, UnixSeconds);
        Assert.Equal(Documented, computed);
    }

    [Fact]
    public void The_protocol_page_shows_the_test_vector_with_its_inputs()
    {
        var page = File.ReadAllText(Path.Combine(DocumentedSnippetsTests.Root, "docs", "protocol.md")).ReplaceLineEndings("\n");
        Assert.Contains(Documented, page, StringComparison.Ordinal);
        Assert.Contains($"`{Key}`", page, StringComparison.Ordinal);
        var payload = string.Join("\n", "PUT", Uri, Tid, TwistHeaders.PhaseConfirm, UnixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var indented = string.Join("\n", payload.Split('\n').Select(line => "    " + line));
        Assert.Contains(indented, page, StringComparison.Ordinal);
    }
}
