using Gravity.Sync.IntegrationTests.Infrastructure;

namespace Gravity.Sync.IntegrationTests;

/// <summary>The server-database conformance tests against a real PostgreSQL (TWIST_TEST_POSTGRES).</summary>
public sealed class PostgreSqlTargetTests(PostgresDatabase server) : ServerTargetTests<PostgresDatabase>(server)
{
    protected override string AuditedUsersSql => """
        CREATE TABLE users (id bigint PRIMARY KEY, name text, version bigint, _gravity_position bigint NOT NULL);
        CREATE TABLE audit (seq bigserial PRIMARY KEY, id bigint, version bigint);
        CREATE FUNCTION audit_users() RETURNS trigger AS $$ BEGIN INSERT INTO audit (id, version) VALUES (NEW.id, NEW.version); RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER users_audit AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit_users();
        """;

    protected override string ConstrainedUsersSql => "CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE, code varchar(5), _gravity_position bigint NOT NULL)";

    protected override string AuditSequenceSql => "SELECT id, string_agg(version::text, ',' ORDER BY seq) FROM audit GROUP BY id";
}
