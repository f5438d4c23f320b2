namespace Mnemo.Server.Errors;

/// <summary>The three wire contracts the server speaks.</summary>
public enum Surface
{
    Memic,
    MemoriesV1,
    MemoriesV2,
}

/// <summary>
/// Declared by a route group (<see cref="SurfacePaths.ForSurface"/>, <see cref="SurfacePaths.ForAdmin"/>):
/// which envelope renders its errors, which header carries its key, which limits apply.
/// </summary>
public sealed record RouteSurface(Surface Surface, bool Admin = false);

public static class SurfacePaths
{
    public const string MemoriesV1Prefix = "/serve/api/v1";
    public const string MemoriesV1AliasPrefix = "/serve/api/video";
    public const string MemoriesV2Prefix = "/serve/api/v2";
    public const string MemicPrefix = "/api/v1";
    public const string AdminPrefix = "/admin";

    public static RouteGroupBuilder ForSurface(this RouteGroupBuilder group, Surface surface) => group.WithMetadata(new RouteSurface(surface));

    /// <summary>The operator's routes: behind the admin token, errors in memic's shape.</summary>
    public static RouteGroupBuilder ForAdmin(this RouteGroupBuilder group) => group.WithMetadata(new RouteSurface(Surface.Memic, Admin: true));

    /// <summary>The route's declared surface; the path decides only for a request that matched no route.</summary>
    public static Surface Of(HttpContext context) => Declared(context)?.Surface ?? Of(context.Request.Path);

    /// <summary>A route of the three surfaces, or any path under them that matched no route.</summary>
    public static bool RequiresApiKey(HttpContext context) => Declared(context) is { } declared
        ? !declared.Admin
        : RequiresApiKey(context.Request.Path);

    public static bool IsAdmin(HttpContext context) => Declared(context)?.Admin ?? context.Request.Path.StartsWithSegments(AdminPrefix);

    private static RouteSurface? Declared(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<RouteSurface>();

    private static Surface Of(PathString path)
    {
        if (path.StartsWithSegments(MemoriesV1Prefix) || path.StartsWithSegments(MemoriesV1AliasPrefix))
        {
            return Surface.MemoriesV1;
        }

        // Everything else (memic, admin, health, docs, unknown roots) answers in memic's shape,
        // the most self-describing of the three.
        return path.StartsWithSegments(MemoriesV2Prefix) ? Surface.MemoriesV2 : Surface.Memic;
    }

    private static bool RequiresApiKey(PathString path) =>
        path.StartsWithSegments(MemoriesV1Prefix) || path.StartsWithSegments(MemoriesV1AliasPrefix)
        || path.StartsWithSegments(MemoriesV2Prefix) || path.StartsWithSegments(MemicPrefix);
}
