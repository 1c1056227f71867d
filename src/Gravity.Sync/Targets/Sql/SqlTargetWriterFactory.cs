using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets.Sql;

/// <summary>Creates <see cref="SqlTargetWriter"/>s for one dialect.</summary>
internal sealed class SqlTargetWriterFactory(GravitySqlDialect dialect, TimeProvider timeProvider) : ITargetWriterFactory
{
    public string DatabaseType => dialect.DatabaseType;

    public ITargetWriter Create(DatabaseDefinition database) =>
        new SqlTargetWriter(dialect, database.Name, database.ConnectionString ?? dialect.BuildConnectionString(database), timeProvider);
}
