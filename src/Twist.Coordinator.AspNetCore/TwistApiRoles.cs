namespace Twist.Coordinator.AspNetCore;

/// <summary>Names the roles of the Twist API.</summary>
public static class TwistApiRoles
{
    /// <summary>May begin, register, confirm, cancel and read transactions, and use the v1 task store.</summary>
    public const string Caller = "caller";

    /// <summary>May use the operator API (<c>/api/v1/admin</c>); implies <see cref="Caller"/>.</summary>
    public const string Operator = "operator";
}
