using System.Linq;
using Microsoft.CodeAnalysis;

namespace Shared.Generators;

/// <summary>A diagnostic to report, kept equatable for the incremental pipeline (no <see cref="Location"/>).</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs) =>
        new(descriptor, location, new EquatableArray<string>(messageArgs));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.Cast<object>().ToArray());
}
