using System.Xml.Linq;

namespace Twist.Packaging.Tests.Infrastructure;

/// <summary>One use of a template: its short name, the -n name, the options, and how many of its own tests must pass.</summary>
public sealed record TemplateUse(string Template, string Name, string[] Options, int LeastPassing)
{
    public override string ToString() => $"{Template} -n {Name} {string.Join(' ', Options)}".TrimEnd();
}

/// <summary>
/// Every template instantiated once per run (with <c>dotnet new</c> from the installed template package) into the apps
/// folder, plus an aggregate solution of all of them, so their projects restore, build and test in one parallel
/// <c>dotnet test</c>.
/// </summary>
internal static class GeneratedSolutions
{
    public static IReadOnlyList<TemplateUse> Uses { get; } =
    [
        new("twist-participant", "Contoso.Wallet", ["--http-port", "6310"], 3),
        new("twist-participant", "Contoso.GrpcWallet", ["--links", "grpc", "--http-port", "6312", "--grpc-port", "6313"], 3),
        new("twist-caller", "Contoso.Checkout", [], 3),
        new("twist-caller", "Contoso.Shop", ["--coordinator", "embedded", "--http-port", "6320", "--wallet-try-uri", "http://127.0.0.1:6310/twist/participants/wallet-debit"], 3),
        new("twist-coordinator", "Contoso.Transactions", ["--http-port", "6380", "--grpc-port", "6381"], 5),
        new("twist-coordinator", "Contoso.SharedTransactions", ["--database", "postgresql"], 5),
        new("gravity-sync", "Contoso.ReadModels", [], 2),
    ];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? aggregate;

    /// <summary>Gets the folder one use was generated into.</summary>
    public static string FolderOf(PackedPackages packed, TemplateUse use) => Path.Combine(packed.AppsRoot, "generated", use.Name);

    /// <summary>Instantiates every template once per run and returns the aggregate solution's path.</summary>
    public static async Task<string> EnsureGeneratedAsync(PackedPackages packed, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (aggregate is not null)
            {
                return aggregate;
            }

            var environment = await InstalledTemplates.EnsureInstalledAsync(packed, cancellationToken);
            var root = Path.Combine(packed.AppsRoot, "generated");
            Directory.CreateDirectory(root);
            foreach (var use in Uses)
            {
                await DotnetCommand.RunCheckedAsync(
                    ["new", use.Template, "-n", use.Name, "-o", FolderOf(packed, use), .. use.Options],
                    root,
                    environment,
                    TimeSpan.FromMinutes(1),
                    cancellationToken);
            }

            // The generated solutions are independent; one solution listing all their projects lets MSBuild build them
            // in parallel and Microsoft.Testing.Platform run their tests together.
            var projects = Uses.SelectMany(use => Directory.GetFiles(FolderOf(packed, use), "*.csproj", SearchOption.AllDirectories)).Order(StringComparer.Ordinal);
            var path = Path.Combine(root, "AllTemplates.slnx");
            new XDocument(new XElement("Solution", projects.Select(p => new XElement("Project", new XAttribute("Path", Path.GetRelativePath(root, p))))))
                .Save(path);
            File.WriteAllText(Path.Combine(root, "global.json"), """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
            aggregate = path;
            return aggregate;
        }
        finally
        {
            Gate.Release();
        }
    }
}
