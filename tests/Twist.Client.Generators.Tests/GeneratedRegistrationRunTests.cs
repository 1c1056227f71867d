using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Twist.Client.Generators.Tests.Infrastructure;
using Twist.Participants;
using Twist.Testing.Generators;

namespace Twist.Client.Generators.Tests;

/// <summary>Compiles participants in memory, loads the assembly and runs the generated AddTwistParticipants().</summary>
public sealed class GeneratedRegistrationRunTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Twist.Participants;

        namespace Shop;

        public sealed record Order(string Item, int Quantity);

        [TccParticipant("stock", Route = "/stock")]
        public sealed class Stock
        {
            public List<string> Calls { get; } = new();

            [Try]
            public Task<int> ReserveAsync(Order request, TccContext context, CancellationToken cancellationToken)
            {
                Calls.Add($"try {request.Item} x{request.Quantity} {context.Tid} {context.Phase}");
                return Task.FromResult(request.Quantity * 10);
            }

            [Confirm]
            public Task CommitAsync(TccContext context, CancellationToken cancellationToken)
            {
                Calls.Add($"confirm {context.Phase}");
                return Task.CompletedTask;
            }

            [Cancel]
            public Task ReleaseAsync(TccContext context, CancellationToken cancellationToken)
            {
                Calls.Add($"cancel {context.Phase}");
                return Task.CompletedTask;
            }
        }

        [TccParticipant("audit")]
        internal sealed class Audit
        {
            public List<string> Calls { get; } = new();

            [Try]
            internal async Task WriteAsync(string request, TccContext context, CancellationToken cancellationToken)
            {
                await Task.Yield();
                Calls.Add("try " + request);
            }

            [Confirm] internal Task ConfirmAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;

            [Cancel] internal Task CancelAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """;

    [Fact]
    public async Task The_generated_method_registers_each_participant_with_handlers_that_call_its_methods()
    {
        GeneratorResult result = GeneratorHarness.Run(Source);
        Assert.Empty(result.Diagnostics);
        Assembly assembly = GeneratorHarness.EmitAndLoad(result.Output);

        var services = new ServiceCollection();
        object builder = assembly
            .GetType("Microsoft.Extensions.DependencyInjection.TwistParticipantsServiceCollectionExtensions", throwOnError: true)!
            .GetMethod("AddTwistParticipants", BindingFlags.Public | BindingFlags.Static)!
            .Invoke(null, [services])!;

        Assert.Same(services, builder.GetType().GetProperty("Services")!.GetValue(builder));
        IReadOnlyList<RegistrationView> registrations = RegistrationView.From(services);
        Assert.Equal(["audit", "stock"], registrations.Select(r => r.Name));

        RegistrationView audit = registrations[0];
        Assert.Null(audit.Route);
        Assert.Equal(["Shop.Audit", "System.String", typeof(NoResult).FullName], audit.TypeArguments.Select(t => t.FullName));
        object auditParticipant = Activator.CreateInstance(audit.TypeArguments[0], nonPublic: true)!;
        Assert.Same(NoResult.Value, await audit.TryAsync(auditParticipant, "entry-1"));
        Assert.Equal(["try entry-1"], Calls(auditParticipant));

        RegistrationView stock = registrations[1];
        Assert.Equal("/stock", stock.Route);
        Assert.Equal(["Shop.Stock", "Shop.Order", "System.Int32"], stock.TypeArguments.Select(t => t.FullName));
        object stockParticipant = Activator.CreateInstance(stock.TypeArguments[0])!;
        object order = Activator.CreateInstance(stock.TypeArguments[1], "apple", 3)!;
        Assert.Equal(30, await stock.TryAsync(stockParticipant, order));
        await stock.ConfirmAsync(stockParticipant);
        await stock.CancelAsync(stockParticipant);
        Assert.Equal(["try apple x3 tid-1 try", "confirm confirm", "cancel cancel"], Calls(stockParticipant));
    }

    [Fact]
    public void The_generated_method_rejects_a_null_service_collection()
    {
        Assembly assembly = GeneratorHarness.EmitAndLoad(GeneratorHarness.Run(Source).Output);
        MethodInfo method = assembly
            .GetType("Microsoft.Extensions.DependencyInjection.TwistParticipantsServiceCollectionExtensions", throwOnError: true)!
            .GetMethod("AddTwistParticipants")!;

        TargetInvocationException thrown = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, [null]));
        Assert.IsType<ArgumentNullException>(thrown.InnerException);
    }

    private static IEnumerable<string> Calls(object participant) =>
        (IEnumerable<string>)participant.GetType().GetProperty("Calls")!.GetValue(participant)!;
}
