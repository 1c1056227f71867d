using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets;

/// <summary>Creates writers for one database type (<c>sqlite</c> in Gravity.Sync; <c>postgres</c> and <c>mysql</c> in their own packages).</summary>
public interface ITargetWriterFactory
{
    /// <summary>Gets the database type this factory serves, as written in databases.json.</summary>
    string DatabaseType { get; }

    /// <summary>Creates a writer.</summary>
    /// <param name="database">The database, with configuration overrides (connection string, password) applied.</param>
    /// <returns>The writer.</returns>
    ITargetWriter Create(DatabaseDefinition database);
}
