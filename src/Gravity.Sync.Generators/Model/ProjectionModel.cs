using Shared.Generators;

namespace Gravity.Sync.Generators.Model;

/// <summary>One <c>[Projection]</c> of an event type.</summary>
/// <param name="Table">The table.</param>
/// <param name="Method">The <c>ProjectionMethod</c> member name.</param>
/// <param name="Databases">The databases, as written.</param>
/// <param name="Exporters">The exporters, as written.</param>
/// <param name="File">The source file name (no directory, so builds on different machines emit the same text).</param>
/// <param name="Line">The attribute's 1-based line.</param>
/// <param name="Index">The attribute's position among the type's <c>[Projection]</c>s.</param>
internal sealed record ProjectionModel(
    string Table,
    string Method,
    EquatableArray<string> Databases,
    EquatableArray<string> Exporters,
    string File,
    int Line,
    int Index);
