using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Processing;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>memories.ai v1 under /serve/api/v1, with the v1.1 aliases under /serve/api/video.</summary>
public static class MemoriesV1Api
{
    public const string GroupName = "memories-v1";

    /// <summary>What the core renders in v1's words: its error envelope and the callback body.</summary>
    public static IServiceCollection AddMemoriesV1(this IServiceCollection services) => services
        .AddKeyedSingleton<ErrorBody>(Surface.MemoriesV1, V1Envelope.Error)
        .AddSingleton<CallbackBody>(V1Callback.Body);

    public static IEndpointRouteBuilder MapMemoriesV1(this IEndpointRouteBuilder app)
    {
        // The v1.1 aliases take folder_id where v1 takes unique_id; every handler reads both.
        app.MapGroup(SurfacePaths.MemoriesV1Prefix).ForSurface(Surface.MemoriesV1).RequireAuthorization(ApiKeyAuthentication.KeyPolicy).WithGroupName(GroupName).WithTags("memories v1").MapV1Uploads().MapV1Videos().MapV1Search().MapV1ImageSearch();
        app.MapGroup(SurfacePaths.MemoriesV1AliasPrefix).ForSurface(Surface.MemoriesV1).RequireAuthorization(ApiKeyAuthentication.KeyPolicy).ExcludeFromDescription().MapV1Uploads().MapV1Videos().MapV1Search().MapV1ImageSearch();
        return app;
    }
}
