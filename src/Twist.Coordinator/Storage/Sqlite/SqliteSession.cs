using Microsoft.Data.Sqlite;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>
/// A connection, its current transaction and one prepared command per SQL text. The write loop keeps one for its
/// lifetime; each read makes a short-lived one on a pooled connection. Not thread-safe: one user at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    /// <summary>Gets the connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Gets or sets the transaction the commands run in.</summary>
    public SqliteTransaction? Transaction { get; set; }

    /// <summary>Gets the prepared command for <paramref name="sql"/>, with every parameter's value unset.</summary>
    /// <remarks>
    /// Reusing the command keeps SQLite's compiled statement, which saves a parse on every write, and its parameter
    /// objects, which <see cref="SqliteValues.With"/> fills in place. A parameter the caller does not set again keeps
    /// the <see cref="Unset"/> marker, which SQLite cannot bind: the statement fails instead of silently reusing the
    /// previous call's value. A command's reader must be disposed before the same SQL is used again; the store never
    /// nests a statement inside itself.
    /// </remarks>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
#pragma warning disable CA2100 // Callers pass SQL built only from constants; every value travels as a parameter.
            command.CommandText = sql;
#pragma warning restore CA2100
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        var parameters = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].Value = Unset.Value; // by index: the collection's enumerator is boxed, and this runs per statement
        }

        return command;
    }

    /// <summary>The value of a parameter not set since the command was last handed out; binding it throws.</summary>
    internal sealed class Unset
    {
        public static readonly Unset Value = new();

        private Unset()
        {
        }

        public override string ToString() => "(parameter not set for this statement)";
    }

    /// <summary>Disposes the prepared commands; the connection belongs to the caller.</summary>
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
