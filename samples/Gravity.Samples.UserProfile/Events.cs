using System.Text.Json.Serialization;

namespace Gravity.Samples.UserProfile;

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

public sealed record UserIncomeChanged(string UserId, string Employer, decimal Income);

public sealed record UserRemoved(string UserId);

/// <summary>Source-generated JSON for the events (no reflection, AOT-friendly).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UserAdded))]
[JsonSerializable(typeof(UserIncomeChanged))]
[JsonSerializable(typeof(UserRemoved))]
public sealed partial class EventJson : JsonSerializerContext;
