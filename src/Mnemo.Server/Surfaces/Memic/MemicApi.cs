using Mnemo.Server.Accounts;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>
/// The memic surface under /api/v1, answered also under /api/v1/sdk (the paths the official Memic
/// Python SDK calls).
/// </summary>
public static class MemicApi
{
    public const string GroupName = "memic";

    /// <summary>What the core renders in memic's words: its error body (also the admin routes' and unknown paths').</summary>
    public static IServiceCollection AddMemic(this IServiceCollection services) =>
        services.AddKeyedSingleton<ErrorBody>(Surface.Memic, MemicError.Of);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716",
        Justification = "memic's own name for GET /me, the same as the SDK's type and the OpenAPI schema; no VB caller uses the server.")]
    public sealed record Me(
        Guid OrganizationId, string OrganizationName, Guid ProjectId, string ProjectName,
        Guid EnvironmentId, string EnvironmentSlug);

    public static IEndpointRouteBuilder MapMemic(this IEndpointRouteBuilder app)
    {
        var memic = app.MapGroup(SurfacePaths.MemicPrefix).ForSurface(Surface.Memic).RequireAuthorization(ApiKeyAuthentication.KeyPolicy).WithGroupName(GroupName).WithTags("memic");
        MapRoutes(memic);
        MapRoutes(app.MapGroup(SurfacePaths.MemicPrefix + "/sdk").ForSurface(Surface.Memic).RequireAuthorization(ApiKeyAuthentication.KeyPolicy).ExcludeFromDescription());
        memic.MapErrorCatalog();
        return app;
    }

    private static void MapRoutes(RouteGroupBuilder group)
    {
        group.MapGet("/me", (Caller caller) => TypedResults.Ok(new Me(
                caller.AccountId, caller.AccountName, caller.ProjectId, caller.ProjectName,
                caller.EnvironmentId, caller.EnvironmentSlug)))
            .WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("The organization, project and environment the API key belongs to.");
        group.MapGet("/projects", async (Caller caller, AccountStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.ProjectsAsync(caller.AccountId, ct)).Select(ProjectView.Of).ToList()))
            .WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("The projects of the key's organization (a JSON array).");
        group.MapPrompts();
        group.MapKeys();
        group.MapUsage();
        group.MapMemicFiles();
        group.MapMemicThumbnails();
        group.MapMemicSearch();
        group.MapMemicImageSearch();
        group.MapMemicPeople();
    }
}
