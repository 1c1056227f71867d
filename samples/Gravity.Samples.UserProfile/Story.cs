namespace Gravity.Samples.UserProfile;

/// <summary>The commands the sample runs, and the fold of their events: what each view must hold afterwards.</summary>
public static class Story
{
    private static readonly string[] Cities = ["Taipei", "Hsinchu", "Taichung", "Kaohsiung"];
    private static readonly string[] Banks = ["Bank of Taiwan", "Cathay United", "E.SUN"];

    public static List<UserAdded> Users { get; } = [.. Enumerable.Range(1, 12).Select(i => new UserAdded(
        UserId: $"U{i:000}",
        Name: $"User {i}",
        Gender: i % 2 == 0 ? "F" : "M",
        City: Cities[i % Cities.Length],
        NationalUniqueId: $"A{100000000 + (i * 7919)}",
        AccountNumber: $"{i:0000}-{i * 37:000000}",
        BankName: Banks[i % Banks.Length],
        AccountType: i % 3 == 0 ? "checking" : "savings",
        Employer: $"Company {(char)('A' + (i % 5))}",
        Income: 42_000m + (i * 3_500m),
        Expenditure: 20_000m + (i * 1_250.5m),
        BirthOfDay: $"19{80 + i}-0{1 + (i % 9)}-1{i % 10}",
        Address: $"{i} Chung Hsiao E. Rd"))];

    public static List<UserIncomeChanged> IncomeChanges { get; } =
    [
        new("U003", "Company Z", 99_000m),
        new("U007", "Company Y", 61_250.75m),
        new("U003", "Company Z", 101_500m),
    ];

    public static List<UserRemoved> Removals { get; } = [new("U010")];

    /// <summary>The rows each view must hold after all the events, formatted as the sample prints them.</summary>
    public static (List<string> Profile, List<string> Finance, List<string> Statistics) Fold()
    {
        var users = Users.ToDictionary(u => u.UserId);
        foreach (var change in IncomeChanges)
        {
            users[change.UserId] = users[change.UserId] with { Employer = change.Employer, Income = change.Income };
        }

        foreach (var removed in Removals)
        {
            users.Remove(removed.UserId);
        }

        var all = users.Values.OrderBy(u => u.UserId, StringComparer.Ordinal).ToList();
        return (
            [.. all.Select(u => Row(u.UserId, u.Name, u.Gender, u.City, u.BirthOfDay, u.Address))],
            [.. all.Select(u => Row(u.UserId, u.NationalUniqueId, u.AccountNumber, u.BankName, u.AccountType, u.Employer, Money(u.Income), Money(u.Expenditure)))],
            [.. all.Select(u => Row(u.UserId, Money(u.Income), u.BirthOfDay, u.City, u.Gender))]);
    }

    public static string Row(params object?[] cells) => string.Join(" | ", cells.Select(c => c?.ToString() ?? "null"));

    public static string Money(decimal value) => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
