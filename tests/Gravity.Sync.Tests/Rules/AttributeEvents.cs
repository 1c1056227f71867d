using Gravity.Sync.Rules;

namespace Gravity.Sync.Tests.Rules;

// Attribute-declared events of this test project (AttributeRulesTests). The generator turns them into
// GeneratedProjections.Declarations, AddGeneratedProjections() and ToGravityEvent() while the project builds.

/// <summary>Names its database; rules.json adds a second table for the same event.</summary>
[Projection("memberJoined", Table = "members", Databases = ["views"])]
public sealed record MemberJoined(
    [property: Key] long Id,
    [property: Column("display_name")] string Name,
    string? Email,
    DateTimeOffset JoinedAt,
    decimal Credit);

/// <summary>Names no database: rules.json attaches one to the event ({"event":"memberLeft","database":"views"}).</summary>
[Projection("memberLeft", Table = "members", Method = ProjectionMethod.Delete)]
public sealed record MemberLeft([property: Key] long Id);
