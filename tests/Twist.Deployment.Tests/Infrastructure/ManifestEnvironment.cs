using System.Security.Cryptography;

namespace Twist.Deployment.Tests.Infrastructure;

/// <summary>
/// A Deployment's environment as the kubelet would give it to the process: literal values as written, and each
/// <c>secretKeyRef</c> resolved to a made-up value of the kind the Secret is documented to hold (docs/deployment.md).
/// </summary>
internal static class ManifestEnvironment
{
    public static Dictionary<string, string> Resolve(KubernetesObject deployment, IReadOnlyDictionary<(string Secret, string Key), string> secrets)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in deployment.Environment)
        {
            if (variable.SecretName is not null)
            {
                Assert.True(
                    secrets.TryGetValue((variable.SecretName, variable.SecretKey!), out var secret),
                    $"{variable.Name} reads Secret {variable.SecretName}/{variable.SecretKey}, which the test does not know; add a test value (and document the key in docs/deployment.md).");
                environment[variable.Name] = secret;
            }
            else
            {
                Assert.NotNull(variable.Value);
                environment[variable.Name] = variable.Value;
            }
        }

        return environment;
    }

    public static string RandomKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
}
