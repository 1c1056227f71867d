using System.Data.Common;
using Gravity.Sync.Rules;
using MySqlConnector;

namespace Gravity.Sync.IntegrationTests.Infrastructure;

public sealed class MariaDbDatabase() : ServerDatabase("TWIST_TEST_MARIADB")
{
    public override string Type => DatabaseDefinition.MySql;

    protected override string Variable => "TWIST_TEST_MARIADB";

    protected override string Example => "Server=127.0.0.1;Port=33306;User ID=app;Password=apppw;Database=twist_test";

    public override DbConnection Connect(DatabaseDefinition database) => new MySqlConnection(database.ConnectionString);

    protected override string ConnectionStringFor(string database) => new MySqlConnectionStringBuilder(AdminConnectionString!) { Database = database }.ToString();

    protected override async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override string CreateDatabaseSql(string database) => $"CREATE DATABASE {database} CHARACTER SET utf8mb4";

    protected override Task DropAsync(string database) => ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database}");

    protected override void ClearPools() => MySqlConnection.ClearAllPools();
}
