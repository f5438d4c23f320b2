using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>memories.ai v1 under /serve/api/v1, with the v1.1 aliases under /serve/api/video.</summary>
public static class MemoriesV1Api
{
    public const string GroupName = "memories-v1";

    public static IEndpointRouteBuilder MapMemoriesV1(this IEndpointRouteBuilder app)
    {
        // Routes arrive with the assets and search capabilities; the prefix already answers in the
        // v1 envelope and behind the API key.
        app.MapGroup(SurfacePaths.MemoriesV1Prefix).WithGroupName(GroupName).WithTags("memories v1");
        app.MapGroup(SurfacePaths.MemoriesV1AliasPrefix).ExcludeFromDescription();
        return app;
    }
}
