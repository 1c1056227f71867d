using Microsoft.CodeAnalysis;

namespace Twist.Client.Generators;

/// <summary>
/// The TWIST diagnostics of the participant generator. Ids are stable: never renumber or reuse one; a new rule takes
/// the next free id and is listed in AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Twist.Participants";

    public static readonly DiagnosticDescriptor ParticipantClassNotAccessible = new(
        id: "TWIST001",
        title: "Participant class is not accessible",
        messageFormat: "Participant class '{0}' is {1}: make it (and every class it is nested in) public or internal so the generated AddTwistParticipants() can register it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ParticipantClassShape = new(
        id: "TWIST002",
        title: "Participant class cannot be abstract, static or generic",
        messageFormat: "Participant class '{0}' is {1}: a participant is resolved from dependency injection for each call, so make it a concrete, non-static, non-generic class (not nested in a generic class)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidParticipantName = new(
        id: "TWIST003",
        title: "Invalid participant name",
        messageFormat: "Participant name {0} of '{1}' is invalid: use 1-64 characters of letters, digits, '-' or '_', for example [TccParticipant(\"wallet-debit\")]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateParticipantName = new(
        id: "TWIST004",
        title: "Duplicate participant name",
        messageFormat: "Participant name '{0}' of '{1}' is also used by '{2}': participant names must be unique in the application (ignoring case) because they appear in routes and guard rows; rename one of them",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingPhaseMethod = new(
        id: "TWIST005",
        title: "Participant phase method is missing",
        messageFormat: "Participant class '{0}' has no [{1}] method: add one with the signature '{2}'",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicatePhaseMethod = new(
        id: "TWIST006",
        title: "More than one method for a participant phase",
        messageFormat: "Participant class '{0}' marks both '{2}' and '{3}' with [{1}]: a participant has exactly one [{1}] method; remove the attribute from one of them",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidTrySignature = new(
        id: "TWIST007",
        title: "Wrong [Try] method signature",
        messageFormat: "[Try] method '{0}' has the wrong signature: declare it as 'Task<TResult> {1}(TRequest request, TccContext context, CancellationToken cancellationToken)', or 'Task {1}(TRequest request, TccContext context, CancellationToken cancellationToken)' when it returns nothing (a non-generic method with exactly these 3 parameters, no ref/out/in, TRequest and TResult ordinary types)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidPhaseSignature = new(
        id: "TWIST008",
        title: "Wrong [Confirm] or [Cancel] method signature",
        messageFormat: "[{0}] method '{1}' has the wrong signature: declare it as 'Task {2}(TccContext context, CancellationToken cancellationToken)' (a non-generic method with exactly these 2 parameters)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PhaseMethodNotAccessible = new(
        id: "TWIST009",
        title: "Participant phase method is not accessible",
        messageFormat: "[{0}] method '{1}' is {2}: make it public or internal so the generated registration can call it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PhaseMethodStatic = new(
        id: "TWIST010",
        title: "Participant phase method is static",
        messageFormat: "[{0}] method '{1}' is static: make it an instance method; the participant is resolved from dependency injection for each call",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PhaseMethodAsyncVoid = new(
        id: "TWIST011",
        title: "Participant phase method is async void",
        messageFormat: "[{0}] method '{1}' is async void, so the guard cannot see when it finishes or whether it failed: return Task ('async Task'{2})",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PhaseMethodValueTask = new(
        id: "TWIST012",
        title: "Participant phase method returns ValueTask",
        messageFormat: "[{0}] method '{1}' returns {2}: participant handlers return Task, not ValueTask; change the return type to {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
