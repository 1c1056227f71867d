namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Marks that <c>AddTwistCoordinatorApi()</c> ran, so repeated calls add nothing twice and mapping can check for it.</summary>
internal sealed class TwistApiMarkerService
{
}
