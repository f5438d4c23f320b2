namespace Mnemo.Server.Errors;

/// <summary>The three wire contracts the server speaks; the path prefix decides which one a request is on.</summary>
public enum Surface
{
    Memic,
    MemoriesV1,
    MemoriesV2,
}

public static class SurfacePaths
{
    public const string MemoriesV1Prefix = "/serve/api/v1";
    public const string MemoriesV1AliasPrefix = "/serve/api/video";
    public const string MemoriesV2Prefix = "/serve/api/v2";
    public const string MemicPrefix = "/api/v1";
    public const string AdminPrefix = "/admin";

    public static Surface Of(PathString path)
    {
        if (path.StartsWithSegments(MemoriesV1Prefix) || path.StartsWithSegments(MemoriesV1AliasPrefix))
        {
            return Surface.MemoriesV1;
        }

        // Everything else (memic, admin, health, docs, unknown roots) answers in memic's shape,
        // the most self-describing of the three.
        return path.StartsWithSegments(MemoriesV2Prefix) ? Surface.MemoriesV2 : Surface.Memic;
    }

    public static Surface Of(HttpContext context) => Of(context.Request.Path);

    /// <summary>Paths behind an API key: the three surfaces, every route under them, known or not.</summary>
    public static bool RequiresApiKey(PathString path) =>
        path.StartsWithSegments(MemoriesV1Prefix) || path.StartsWithSegments(MemoriesV1AliasPrefix)
        || path.StartsWithSegments(MemoriesV2Prefix) || path.StartsWithSegments(MemicPrefix);
}
