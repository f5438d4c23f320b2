using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.Admin;

/// <summary>
/// The operator's asset routes (behind the admin token, memic-style errors). Not a hosted API's surface, but an
/// HTTP edge that speaks every surface's ids: it takes any of them and answers with all.
/// </summary>
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
    private static async Task<Results<Ok<ReparseView>, ApiError>> Reparse(string id, AssetService assets, AssetQueries queries, CancellationToken ct)
    {
        var number = AssetIds.ParseV1(id) ?? AssetIds.ParseV2(id)
            ?? (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null);
        if (number is null)
        {
            if (!Guid.TryParse(id, out var fileId))
            {
                return new ApiError(ErrorCatalog.AssetNotFound, "Unknown asset id form.");
            }

            number = await queries.IdOfFileAsync(fileId, ct);
        }

        var asset = await assets.ReparseAsync(number.Value, ct);
        return TypedResults.Ok(new ReparseView(asset.Id, AssetIds.V1(asset.Id), AssetIds.V2(asset.Id), asset.FileId, asset.Status.ToString().ToLowerInvariant()));
    }
}
