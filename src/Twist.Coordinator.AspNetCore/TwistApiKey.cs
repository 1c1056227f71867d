namespace Twist.Coordinator.AspNetCore;

/// <summary>An API key accepted by the Twist API, with the name it authenticates as and the roles it grants.</summary>
public sealed class TwistApiKey
{
    /// <summary>Gets or sets the principal name the key authenticates as (written to the audit log as the actor).</summary>
    /// <value>The default value is empty; it must be set.</value>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the secret key, at least 16 characters. It is compared in constant time and never logged.</summary>
    /// <value>The default value is empty; it must be set.</value>
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets the roles the key grants: <see cref="TwistApiRoles.Caller"/> and/or <see cref="TwistApiRoles.Operator"/>.</summary>
    /// <value>The default value is empty, which means <see cref="TwistApiRoles.Caller"/>.</value>
    public IList<string> Roles { get; } = [];

    /// <inheritdoc/>
    public override string ToString() => $"Name={Name}, Key=***, Roles={string.Join(',', Roles)}";
}
