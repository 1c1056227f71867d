using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;

namespace Twist.Coordinator.Host;

/// <summary>Checks the store choice at start-up and says which key to fix, never echoing a connection string (it may hold a password).</summary>
internal sealed class CoordinatorStoreOptionsValidator : IValidateOptions<CoordinatorStoreOptions>
{
    private const string Section = TwistCoordinatorOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, CoordinatorStoreOptions options)
    {
        if (string.Equals(options.Store, CoordinatorStoreOptions.SqliteKind, StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Success;
        }

        if (!options.IsPostgreSql)
        {
            return ValidateOptionsResult.Fail(
                $"{Section}:Store is '{options.Store}'; use {CoordinatorStoreOptions.SqliteKind} (the default, one instance) or {CoordinatorStoreOptions.PostgreSqlKind} (several instances may share it).");
        }

        if (string.IsNullOrWhiteSpace(options.PostgreSql.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{Section}:Store is {CoordinatorStoreOptions.PostgreSqlKind} but no connection string is set: set {Section}:PostgreSql:ConnectionString " +
                $"(or ConnectionStrings:{CoordinatorStoreOptions.ConnectionStringName}), e.g. 'Host=db;Database=twist;Username=twist;Password=...'.");
        }

        try
        {
            // The same checks UsePostgreSql makes in code; their messages name the problem without quoting the string.
            new TwistCoordinatorOptions().UsePostgreSql(options.PostgreSql.ConnectionString, o => o.Schema = options.PostgreSql.Schema);
        }
        catch (ArgumentException ex)
        {
            var what = ex.Message.Contains("Schema", StringComparison.Ordinal) ? $"{Section}:PostgreSql:Schema" : $"{Section}:PostgreSql:ConnectionString";
            return ValidateOptionsResult.Fail($"{what} is invalid: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
