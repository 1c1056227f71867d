using System.Text.Json.Serialization;
using Gravity.Sync.Rules;

namespace Gravity.Samples.UserProfile;

// Two ways to declare the same kind of projection rule, side by side: UserAdded's three views are in rules/rules.json
// (the seed's format); UserIncomeChanged and UserRemoved declare theirs with attributes, which the Gravity source
// generator turns into rules at build time (merged with rules.json at start-up) and into a ToGravityEvent() writer.

/// <summary>The user service's domain events (seed 000: "Add User" command → UserAdded event).</summary>
public sealed record UserAdded(
    string UserId,
    string Name,
    string Gender,
    string City,
    string NationalUniqueId,
    string AccountNumber,
    string BankName,
    string AccountType,
    string Employer,
    decimal Income,
    decimal Expenditure,
    string BirthOfDay,
    string Address);

/// <summary>A new employer or income: updates the Finance view (both) and the IncomeStatistics view (income only).</summary>
[Projection("UserIncomeChanged", Table = "finance", Databases = ["finance"])]
[Projection("UserIncomeChanged", Table = "income_statistics", Databases = ["analytics"])]
public sealed record UserIncomeChanged(
    [property: Key, Column("user_id")] string UserId,
    [property: Column(Tables = ["finance"])] string Employer,
    decimal Income);

/// <summary>A removed user: deletes its row from all three views.</summary>
[Projection("UserRemoved", Table = "user_profile", Method = ProjectionMethod.Delete, Databases = ["profile"])]
[Projection("UserRemoved", Table = "finance", Method = ProjectionMethod.Delete, Databases = ["finance"])]
[Projection("UserRemoved", Table = "income_statistics", Method = ProjectionMethod.Delete, Databases = ["analytics"])]
public sealed record UserRemoved([property: Key, Column("user_id")] string UserId);

/// <summary>Source-generated JSON for UserAdded, whose rules live in rules.json (no reflection, AOT-friendly).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UserAdded))]
public sealed partial class EventJson : JsonSerializerContext;
