namespace Gravity.Bench;

/// <summary>After every run, the view must hold exactly the last row of each key with its event's position.</summary>
internal static class ViewCheck
{
    public static async Task VerifyAsync(BenchDatabase database, Dictionary<string, (ProfileRow Row, long Position)> expected, string run)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id, name, gender, city, birth_of_day, address, _gravity_position FROM user_profile";
        await using var reader = await command.ExecuteReaderAsync();
        var count = 0;
        while (await reader.ReadAsync())
        {
            count++;
            var row = new ProfileRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5));
            var position = Convert.ToInt64(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture);
            if (!expected.TryGetValue(row.UserId, out var want) || want.Row != row || want.Position != position)
            {
                throw new InvalidOperationException($"{run}: row {row} at position {position} differs from the expected {want.Row} at {want.Position}.");
            }
        }

        if (count != expected.Count)
        {
            throw new InvalidOperationException($"{run}: the view holds {count} rows, expected {expected.Count}.");
        }
    }
}
