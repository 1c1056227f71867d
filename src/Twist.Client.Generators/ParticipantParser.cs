using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Shared.Generators;
using Twist.Client.Generators.Model;

namespace Twist.Client.Generators;

/// <summary>
/// Turns one <c>[TccParticipant]</c> class into an equatable <see cref="ParticipantParseResult"/>: the symbols are
/// read here and nowhere else, so no <see cref="ISymbol"/> reaches the later pipeline steps.
/// </summary>
internal static class ParticipantParser
{
    public const string ParticipantAttributeMetadataName = "Twist.Participants.TccParticipantAttribute";

    private const int MaxNameLength = 64;

    private const string TrySignature = "Task<TResult> M(TRequest request, TccContext context, CancellationToken cancellationToken)";

    private const string PhaseSignature = "Task M(TccContext context, CancellationToken cancellationToken)";

    // global:: everywhere, and keep '?' on reference types so Task<Reservation?> maps to TResult = Reservation?.
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private enum Phase
    {
        Try,
        Confirm,
        Cancel,
    }

    public static bool IsCandidate(SyntaxNode node) =>
        node.IsKind(SyntaxKind.ClassDeclaration) || node.IsKind(SyntaxKind.RecordDeclaration);

    public static ParticipantParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        string typeDisplay = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        LocationInfo? classLocation = LocationInfo.From(declaration.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();

        AttributeData attribute = context.Attributes[0];
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error)
        {
            // The attribute itself does not bind: the compiler reports that, and there is nothing to generate.
            return new(null, null, typeDisplay, null, EquatableArray<DiagnosticInfo>.Empty);
        }

        string? name = attribute.ConstructorArguments[0].Value as string;
        LocationInfo? nameLocation = GetNameArgumentLocation(attribute, cancellationToken) ?? classLocation;
        bool nameIsValid = IsValidName(name);
        if (!nameIsValid)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidParticipantName,
                nameLocation,
                name is null ? "null" : SymbolDisplay.FormatLiteral(name, quote: true),
                typeDisplay));
        }

        string? route = attribute.NamedArguments.FirstOrDefault(static a => a.Key == "Route").Value.Value as string;

        bool classIsValid = CheckClass(type, typeDisplay, classLocation, diagnostics);

        var methods = new Dictionary<Phase, List<IMethodSymbol>>
        {
            [Phase.Try] = [],
            [Phase.Confirm] = [],
            [Phase.Cancel] = [],
        };
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol method)
            {
                foreach (AttributeData methodAttribute in method.GetAttributes())
                {
                    if (GetPhase(methodAttribute.AttributeClass) is Phase phase)
                    {
                        methods[phase].Add(method);
                    }
                }
            }
        }

        MethodInfo? tryMethod = CheckPhase(Phase.Try, methods[Phase.Try], typeDisplay, classLocation, diagnostics);
        MethodInfo? confirmMethod = CheckPhase(Phase.Confirm, methods[Phase.Confirm], typeDisplay, classLocation, diagnostics);
        MethodInfo? cancelMethod = CheckPhase(Phase.Cancel, methods[Phase.Cancel], typeDisplay, classLocation, diagnostics);

        ParticipantModel? participant = nameIsValid && classIsValid && tryMethod is not null && confirmMethod is not null && cancelMethod is not null
            ? new ParticipantModel(
                name!,
                route,
                type.ToDisplayString(TypeFormat),
                tryMethod.RequestType!,
                tryMethod.ResultType,
                tryMethod.Name,
                confirmMethod.Name,
                cancelMethod.Name)
            : null;

        return new(nameIsValid ? name : null, nameLocation, typeDisplay, participant, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    internal static bool IsValidName(string? name)
    {
        if (name is null || name.Length is 0 or > MaxNameLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            // ASCII only: the name is a URL path segment and a guard-table key.
            bool valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_';
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    private static LocationInfo? GetNameArgumentLocation(AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } arguments })
        {
            AttributeArgumentSyntax? argument = arguments.Arguments.FirstOrDefault(static a => a.NameEquals is null);
            return argument is null ? null : LocationInfo.From(argument.GetLocation());
        }

        return null;
    }

    private static bool CheckClass(INamedTypeSymbol type, string typeDisplay, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        bool valid = true;

        string? inaccessible = null;
        if (type.IsFileLocal)
        {
            inaccessible = "file-local";
        }
        else
        {
            for (INamedTypeSymbol? current = type; current is not null && inaccessible is null; current = current.ContainingType)
            {
                if (!IsAccessibleFromAssembly(current.DeclaredAccessibility))
                {
                    string accessibility = AccessibilityText(current.DeclaredAccessibility);
                    inaccessible = SymbolEqualityComparer.Default.Equals(current, type)
                        ? accessibility
                        : $"nested in {accessibility} class '{current.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}'";
                }
            }
        }

        if (inaccessible is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParticipantClassNotAccessible, location, typeDisplay, inaccessible));
            valid = false;
        }

        var shape = new List<string>();
        if (type.IsStatic)
        {
            shape.Add("static");
        }
        else if (type.IsAbstract)
        {
            shape.Add("abstract");
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0)
            {
                shape.Add(SymbolEqualityComparer.Default.Equals(current, type) ? "generic" : "nested in a generic class");
                break;
            }
        }

        if (shape.Count > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParticipantClassShape, location, typeDisplay, string.Join(" and ", shape)));
            valid = false;
        }

        return valid;
    }

    private static MethodInfo? CheckPhase(Phase phase, List<IMethodSymbol> methods, string typeDisplay, LocationInfo? classLocation, List<DiagnosticInfo> diagnostics)
    {
        if (methods.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.MissingPhaseMethod,
                classLocation,
                typeDisplay,
                phase.ToString(),
                phase == Phase.Try ? TrySignature : PhaseSignature));
            return null;
        }

        if (methods.Count > 1)
        {
            for (int i = 1; i < methods.Count; i++)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.DuplicatePhaseMethod,
                    GetLocation(methods[i]),
                    typeDisplay,
                    phase.ToString(),
                    methods[0].Name,
                    methods[i].Name));
            }

            return null;
        }

        return CheckMethod(phase, methods[0], diagnostics);
    }

    private static MethodInfo? CheckMethod(Phase phase, IMethodSymbol method, List<DiagnosticInfo> diagnostics)
    {
        string kind = phase.ToString();
        LocationInfo? location = GetLocation(method);
        bool valid = true;

        if (method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PhaseMethodStatic, location, kind, method.Name));
            valid = false;
        }

        if (!IsAccessibleFromAssembly(method.DeclaredAccessibility))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.PhaseMethodNotAccessible, location, kind, method.Name, AccessibilityText(method.DeclaredAccessibility)));
            valid = false;
        }

        if (ContainsErrorType(method.ReturnType) || method.Parameters.Any(static p => ContainsErrorType(p.Type)))
        {
            // A type that does not bind is the compiler's error to report; adding ours would only be noise.
            return null;
        }

        bool signatureIsValid = method.MethodKind is MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation
            && !method.IsGenericMethod
            && !method.ReturnsByRef
            && !method.ReturnsByRefReadonly
            && ParametersMatch(phase, method.Parameters);

        ITypeSymbol returnType = method.ReturnType;
        string? resultType = null;
        if (method.ReturnsVoid && method.IsAsync)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.PhaseMethodAsyncVoid,
                location,
                kind,
                method.Name,
                phase == Phase.Try ? " or 'async Task<TResult>' to return a result" : string.Empty));
            valid = false;
        }
        else if (IsValueTask(returnType, out ITypeSymbol? valueTaskResult))
        {
            string suggestion = valueTaskResult is null ? "Task" : $"Task<{valueTaskResult.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}>";
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.PhaseMethodValueTask,
                location,
                kind,
                method.Name,
                returnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                suggestion));
            valid = false;
        }
        else if (IsTask(returnType, out ITypeSymbol? taskResult) && (taskResult is null || (phase == Phase.Try && IsUsableTypeArgument(taskResult))))
        {
            resultType = taskResult?.ToDisplayString(TypeFormat);
        }
        else
        {
            signatureIsValid = false;
        }

        if (!signatureIsValid)
        {
            diagnostics.Add(phase == Phase.Try
                ? DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTrySignature, location, method.Name, method.Name)
                : DiagnosticInfo.Create(DiagnosticDescriptors.InvalidPhaseSignature, location, kind, method.Name, method.Name));
            valid = false;
        }

        if (!valid)
        {
            return null;
        }

        string? requestType = phase == Phase.Try ? method.Parameters[0].Type.ToDisplayString(TypeFormat) : null;
        return new MethodInfo(EscapeIdentifier(method.Name), requestType, resultType);
    }

    private static bool ParametersMatch(Phase phase, IReadOnlyList<IParameterSymbol> parameters)
    {
        int offset = phase == Phase.Try ? 1 : 0;
        if (parameters.Count != offset + 2 || parameters.Any(static p => p.RefKind != RefKind.None))
        {
            return false;
        }

        return (phase != Phase.Try || IsUsableTypeArgument(parameters[0].Type))
            && IsType(parameters[offset].Type, "TccContext", "Participants", "Twist")
            && IsType(parameters[offset + 1].Type, "CancellationToken", "Threading", "System");
    }

    private static Phase? GetPhase(INamedTypeSymbol? attribute) => attribute switch
    {
        _ when IsType(attribute, "TryAttribute", "Participants", "Twist") => Phase.Try,
        _ when IsType(attribute, "ConfirmAttribute", "Participants", "Twist") => Phase.Confirm,
        _ when IsType(attribute, "CancelAttribute", "Participants", "Twist") => Phase.Cancel,
        _ => null,
    };

    private static bool IsTask(ITypeSymbol type, out ITypeSymbol? result)
    {
        result = null;
        if (type is INamedTypeSymbol named && named.Name == "Task" && IsInNamespace(named, "Tasks", "Threading", "System"))
        {
            if (named.TypeArguments.Length == 0)
            {
                return true;
            }

            if (named.TypeArguments.Length == 1)
            {
                result = named.TypeArguments[0];
                return true;
            }
        }

        return false;
    }

    private static bool IsValueTask(ITypeSymbol type, out ITypeSymbol? result)
    {
        result = null;
        if (type is INamedTypeSymbol named && named.Name == "ValueTask" && IsInNamespace(named, "Tasks", "Threading", "System") && named.TypeArguments.Length <= 1)
        {
            result = named.TypeArguments.Length == 1 ? named.TypeArguments[0] : null;
            return true;
        }

        return false;
    }

    // TRequest and TResult become type arguments of the registration, so they must be ordinary types.
    private static bool IsUsableTypeArgument(ITypeSymbol type) =>
        type is not (IPointerTypeSymbol or IFunctionPointerTypeSymbol or ITypeParameterSymbol)
        && !type.IsRefLikeType
        && type.SpecialType != SpecialType.System_Void;

    private static bool ContainsErrorType(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
        _ => false,
    };

    private static bool IsType(ITypeSymbol? type, string name, string innerNamespace, string outerNamespace) =>
        type is INamedTypeSymbol { TypeArguments.Length: 0 } named && named.Name == name && named.ContainingType is null
        && IsInNamespace(named, innerNamespace, outerNamespace);

    private static bool IsInNamespace(INamedTypeSymbol type, params string[] namespaces)
    {
        // namespaces are given innermost first: "Tasks", "Threading", "System".
        INamespaceSymbol? current = type.ContainingNamespace;
        foreach (string part in namespaces)
        {
            if (current is null || current.Name != part)
            {
                return false;
            }

            current = current.ContainingNamespace;
        }

        return current is { IsGlobalNamespace: true };
    }

    private static bool IsAccessibleFromAssembly(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "not accessible",
    };

    private static LocationInfo? GetLocation(IMethodSymbol method) =>
        LocationInfo.From(method.Locations.FirstOrDefault(static l => l.IsInSource));

    private static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    private sealed record MethodInfo(string Name, string? RequestType, string? ResultType);
}
