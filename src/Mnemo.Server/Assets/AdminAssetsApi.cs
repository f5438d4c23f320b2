using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Assets;

/// <summary>The operator's asset routes (behind the admin token, memic-style errors).</summary>
public static class AdminAssetsApi
{
    public sealed record ReparseView(long Id, string V1Id, string V2Id, Guid FileId, string Status);

    public static IEndpointRouteBuilder MapAdminAssets(this IEndpointRouteBuilder app)
    {
        if (string.IsNullOrEmpty(app.ServiceProvider.GetRequiredService<IConfiguration>()[AdminApi.TokenKey]))
        {
            return app;
        }

        app.MapGroup(SurfacePaths.AdminPrefix + "/assets").ForAdmin().RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ExcludeFromDescription()
            .MapPost("/{id}/reparse", Reparse);
        return app;
    }

    /// <summary>Takes VI{n}, re_{n}, a memic UUID or the bare number.</summary>
    private static async Task<Results<Ok<ReparseView>, ApiError>> Reparse(string id, AssetService assets, Storage.MnemoDb db, CancellationToken ct)
    {
        if (!AssetIds.TryParseAny(id, out var number, out var fileId))
        {
            return new ApiError(ErrorCatalog.AssetNotFound, "Unknown asset id form.");
        }

        if (number == 0)
        {
            number = await db.Set<Asset>().Where(a => a.FileId == fileId).Select(a => a.Id).FirstOrDefaultAsync(ct);
        }

        var asset = await assets.ReparseAsync(number, ct);
        return TypedResults.Ok(new ReparseView(asset.Id, AssetIds.V1(asset.Id), AssetIds.V2(asset.Id), asset.FileId, asset.Status.ToString().ToLowerInvariant()));
    }
}
