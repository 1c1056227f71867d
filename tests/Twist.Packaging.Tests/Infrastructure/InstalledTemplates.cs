namespace Twist.Packaging.Tests.Infrastructure;

/// <summary>
/// The template package of this run, installed with <c>dotnet new install</c> into a private CLI home, so neither the
/// machine's template cache nor an earlier run's templates are touched or used.
/// </summary>
internal static class InstalledTemplates
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? cliHome;

    /// <summary>Installs the templates once per run and returns the environment <c>dotnet new</c> must run with.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> EnsureInstalledAsync(PackedPackages packed, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (cliHome is null)
            {
                var home = Path.Combine(packed.WorkRoot, "cli-home");
                Directory.CreateDirectory(home);
                await DotnetCommand.RunCheckedAsync(
                    ["new", "install", packed.PackagePath(PackedPackages.TemplatePackageId)],
                    packed.WorkRoot,
                    Environment(packed, home),
                    TimeSpan.FromMinutes(2),
                    cancellationToken);
                cliHome = home;
            }

            return Environment(packed, cliHome);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static Dictionary<string, string?> Environment(PackedPackages packed, string home) => new(packed.ConsumerEnvironment)
    {
        ["DOTNET_CLI_HOME"] = home,
    };
}
