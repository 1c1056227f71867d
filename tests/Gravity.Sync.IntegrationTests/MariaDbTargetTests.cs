using Gravity.Sync.IntegrationTests.Infrastructure;

namespace Gravity.Sync.IntegrationTests;

/// <summary>The server-database conformance tests against a real MariaDB (TWIST_TEST_MARIADB), through the mysql type.</summary>
public sealed class MariaDbTargetTests(MariaDbDatabase server) : ServerTargetTests<MariaDbDatabase>(server)
{
    protected override string AuditedUsersSql => """
        CREATE TABLE users (id BIGINT PRIMARY KEY, name LONGTEXT, version BIGINT, _gravity_position BIGINT NOT NULL);
        CREATE TABLE audit (seq BIGINT AUTO_INCREMENT PRIMARY KEY, id BIGINT, version BIGINT);
        CREATE TRIGGER users_ai AFTER INSERT ON users FOR EACH ROW INSERT INTO audit (id, version) VALUES (NEW.id, NEW.version);
        CREATE TRIGGER users_au AFTER UPDATE ON users FOR EACH ROW INSERT INTO audit (id, version) VALUES (NEW.id, NEW.version);
        """;

    protected override string ConstrainedUsersSql => "CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(100) UNIQUE, code VARCHAR(5), _gravity_position BIGINT NOT NULL)";

    protected override string AuditSequenceSql => "SELECT id, GROUP_CONCAT(version ORDER BY seq SEPARATOR ',') FROM audit GROUP BY id";
}
