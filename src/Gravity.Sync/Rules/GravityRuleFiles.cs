namespace Gravity.Sync.Rules;

/// <summary>Loads the seed's configuration files (rules.json, databases.json, exporter.json) into a <see cref="GravityRuleSet"/>.</summary>
public static class GravityRuleFiles
{
    /// <summary>Reads and validates the files.</summary>
    /// <param name="rulesFiles">One or more rules.json files; their rules are combined in order.</param>
    /// <param name="databasesFile">The databases.json file, or <see langword="null"/> when databases come from code.</param>
    /// <param name="exportersFile">The exporter.json file, or <see langword="null"/>.</param>
    /// <param name="configure">Adds or overrides databases, exporters or rules in code before validation, or sets the default database.</param>
    /// <returns>The validated rule set.</returns>
    /// <exception cref="GravityRulesException">A file is missing or invalid; the message names each file, rule and field.</exception>
    public static GravityRuleSet Load(IEnumerable<string> rulesFiles, string? databasesFile = null, string? exportersFile = null, Action<GravityRuleSetBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(rulesFiles);
        var builder = new GravityRuleSetBuilder();
        var missing = new List<string>();
        if (databasesFile is not null && Read(databasesFile, missing) is { } databases)
        {
            builder.AddDatabasesJson(Path.GetFileName(databasesFile), databases);
        }

        if (exportersFile is not null && Read(exportersFile, missing) is { } exporters)
        {
            builder.AddExportersJson(Path.GetFileName(exportersFile), exporters);
        }

        foreach (var file in rulesFiles)
        {
            if (Read(file, missing) is { } rules)
            {
                builder.AddRulesJson(Path.GetFileName(file), rules);
            }
        }

        if (missing.Count > 0)
        {
            throw new GravityRulesException(missing);
        }

        configure?.Invoke(builder);
        return builder.Build();
    }

    private static byte[]? Read(string path, List<string> errors)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read: {ex.Message}");
            return null;
        }
    }
}
