namespace Mnemo.Server.Accounts;

/// <summary>memic's project, as <c>GET /projects</c> (the SDK's <c>list_projects</c>) and the admin API show it.</summary>
public sealed record ProjectView(Guid Id, string Name, Guid OrganizationId, bool IsActive, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ProjectView Of(Project p) => new(p.Id, p.Name, p.AccountId, p.IsActive, Utc(p.CreatedAt), Utc(p.UpdatedAt));

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
