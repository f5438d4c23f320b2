using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.MemoriesV2;

/// <summary>memories.ai v2 under /serve/api/v2.</summary>
public static class MemoriesV2Api
{
    public const string GroupName = "memories-v2";

    /// <summary>What the core renders in v2's words: its error envelope.</summary>
    public static IServiceCollection AddMemoriesV2(this IServiceCollection services) =>
        services.AddKeyedSingleton<ErrorBody>(Surface.MemoriesV2, V2Envelope.Error);

    public static IEndpointRouteBuilder MapMemoriesV2(this IEndpointRouteBuilder app)
    {
        app.MapGroup(SurfacePaths.MemoriesV2Prefix).ForSurface(Surface.MemoriesV2).RequireAuthorization(ApiKeyAuthentication.KeyPolicy).WithGroupName(GroupName).WithTags("memories v2").MapV2Video().MapV2People().MapV2Assets();
        return app;
    }
}
