using System.Runtime.CompilerServices;

// The event output's own tests (dispatcher ordering, retries, drops) live with the NATS output's tests, the first
// sink; they reach the internal publisher to check that nothing is queued when no sink is registered.
[assembly: InternalsVisibleTo("Twist.Coordinator.Nats.Tests")]
