using Gravity.Sync.Rules;

namespace ConsumerApp;

/// <summary>A read-model event declared with attributes: the generator inside the Gravity.Sync package writes its rule.</summary>
[Projection("pointsGranted", Table = "points", Databases = ["views"])]
public sealed record PointsGranted([property: Key] string User, [property: Column("granted")] int Points);
