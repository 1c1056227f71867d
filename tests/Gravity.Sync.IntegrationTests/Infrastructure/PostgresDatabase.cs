using System.Data.Common;
using Gravity.Sync.Rules;
using Npgsql;

namespace Gravity.Sync.IntegrationTests.Infrastructure;

public sealed class PostgresDatabase() : ServerDatabase("TWIST_TEST_POSTGRES")
{
    public override string Type => DatabaseDefinition.Postgres;

    protected override string Variable => "TWIST_TEST_POSTGRES";

    protected override string Example => "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public override DbConnection Connect(DatabaseDefinition database) => new NpgsqlConnection(database.ConnectionString);

    protected override string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ToString();

    protected override async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override Task DropAsync(string database) => ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");

    protected override void ClearPools() => NpgsqlConnection.ClearAllPools();
}
