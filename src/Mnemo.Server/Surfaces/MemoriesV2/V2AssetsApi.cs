using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;

namespace Mnemo.Server.Surfaces.MemoriesV2;

/// <summary>memories v2 assets: upload (multipart or signed URL), metadata, download, delete.</summary>
public static class V2AssetsApi
{
    public sealed record Uploaded(string AssetId);

    public sealed record SignedUrlRequest(string? OriginalFilename);

    public sealed record SignedUpload(string AssetId, string SignedUrl, int ExpiresIn);

    public sealed record Resource(
        string? Extension, string AssetId, string OriginalFilename, long FileSize, string UploadStatus, string? Cause,
        string CreateTime, string ModifyTime, double? Duration, int? Width, int? Height, double? Fps,
        string? VideoCodec, string? AudioCodec, IReadOnlyList<string> Codecs, string? Sha256, string? ProcessingStep);

    public sealed record Metadata(int Total, IReadOnlyList<Resource> Resource);

    public static RouteGroupBuilder MapV2Assets(this RouteGroupBuilder group)
    {
        group.MapPost("/upload", Upload).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithBodyLimit(null).Accepts<V2UploadForm>("multipart/form-data").WithSummary("Uploads a file (multipart field 'file'); an SRT/VTT with asset_id becomes that video's transcript.");
        group.MapPost("/upload/signed-url", CreateSignedUrl).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithSummary("A one-time, expiring URL on this server to PUT the file to.");
        group.MapPut("/uploads/{token}", PutSigned).WithMetadata(new PublicEndpoint()).WithBodyLimit(null)
            .WithSummary("The signed URL: PUT the raw bytes; the URL is the credential.");
        var polled = ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<AssetReadCache>(); // a poll opens no request scope
        group.MapGet("/{asset_id}/metadata", (string asset_id, Caller caller, CancellationToken ct) => GetMetadata(asset_id, caller, polled, ct))
            .WithRateLimitClass(RateLimitClass.Status).WithSummary("Status and, once parsed, duration, resolution, fps and codecs.");
        group.MapMethods("/{asset_id}/download", [HttpMethods.Get, HttpMethods.Head], Download).WithRateLimitClass(RateLimitClass.Download).WithSummary("The original bytes (range requests supported).");
        group.MapPost("/{asset_id}/reparse", Reparse).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithSummary("Parses a failed (or ready) asset again; charged like the first parse.");
        group.MapDelete("/{asset_id}", Delete).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("Deletes the asset, its bytes and everything derived.");
        // Without this, GET /serve/api/v2/{anything} would match DELETE's path and answer 405; it is no route.
        // Except GET /upload: that route exists (POST), so it stays a 405 with Allow: POST.
        group.MapGet("/{asset_id:regex(^(?!upload$))}", () => ApiError.NotFound("No route matches this path.")).ExcludeFromDescription();
        return group;
    }

    private static async Task<Results<Ok<V2Envelope<Uploaded>>, ApiError>> Upload(
        HttpRequest request, Caller caller, AssetService assets, UploadReceiver receiver, CancellationToken ct)
    {
        var content = await MultipartUpload.ReadAsync(request, receiver, ["file"], 1, null, ct);
        long? target = null;
        if (content.Field("asset_id") is { } id && (target = AssetIds.ParseV2(id)) is null)
        {
            content.DeleteFiles();
            return new ApiError(ErrorCatalog.AssetNotFound, "asset_id is not an asset id.");
        }

        var asset = await assets.AcceptAsync(caller, content.Files[0], new UploadDetails { TranscriptOf = target }, ct);
        return V2Envelope.Success(new Uploaded(AssetIds.V2(asset.Id)));
    }

    private static async Task<Results<Ok<V2Envelope<SignedUpload>>, ApiError>> CreateSignedUrl(
        SignedUrlRequest request, Caller caller, AssetService assets, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.OriginalFilename))
        {
            return ApiError.InvalidRequest("original_filename is required.");
        }

        var signed = await assets.CreateSignedAsync(caller, Path.GetFileName(request.OriginalFilename.Trim()), null, null, new UploadDetails(), ct);
        var url = $"{http.Request.Scheme}://{http.Request.Host}{SurfacePaths.MemoriesV2Prefix}/uploads/{signed.Token}";
        return V2Envelope.Success(new SignedUpload(AssetIds.V2(signed.Asset.Id), url, signed.ExpiresIn));
    }

    private static async Task<Results<Ok<V2Envelope<Uploaded>>, ApiError>> PutSigned(
        string token, HttpRequest request, AssetService assets, UploadReceiver receiver, CancellationToken ct)
    {
        var asset = await assets.ReceiveSignedAsync(token, request.Body, receiver, null, enqueue: true, ct);
        return V2Envelope.Success(new Uploaded(AssetIds.V2(asset.Id)));
    }

    private static readonly RenderedJson<Asset, V2Envelope<Metadata>>.Cache Answers = new(MetadataOf);

    private static async ValueTask<RenderedJson<Asset, V2Envelope<Metadata>>> GetMetadata(
        string asset_id, Caller caller, AssetReadCache polled, CancellationToken ct) =>
        Answers.For(AssetIds.ParseV2(asset_id) is { } id ? await polled.GetAsync(caller, id, ct) : throw AssetService.NotFound());

    private static V2Envelope<Metadata> MetadataOf(Asset a)
    {
        var resource = new Resource(
            a.Format, AssetIds.V2(a.Id), a.OriginalFilename, a.Size, V2Status.Of(a.Status), a.Cause,
            WireTime.Millis(a.CreatedAt), WireTime.Millis(a.UpdatedAt), a.Media.DurationSeconds, a.Media.Width, a.Media.Height, a.Media.Fps,
            a.Media.VideoCodec, a.Media.AudioCodec, [.. new[] { a.Media.VideoCodec, a.Media.AudioCodec }.OfType<string>()], a.Sha256,
            a.Status == AssetStatus.Processing ? a.ProcessingStep : null);
        return V2Envelope.Success(new Metadata(1, [resource])).Value!;
    }

    private static async Task<Results<FileStreamHttpResult, ApiError>> Download(
        string asset_id, Caller caller, AssetService assets, AssetDownload download, CancellationToken ct)
    {
        var asset = await FindAsync(asset_id, caller, assets, ct);
        return await download.SendAsync(caller, asset, asset.MimeType, ct);
    }

    private static async Task<Results<Ok<V2Envelope<Uploaded>>, ApiError>> Reparse(
        string asset_id, Caller caller, AssetService assets, CancellationToken ct)
    {
        var asset = await assets.ReparseAsync(caller, await FindAsync(asset_id, caller, assets, ct), ct);
        return V2Envelope.Success(new Uploaded(AssetIds.V2(asset.Id)));
    }

    private static async Task<Results<Ok<V2Envelope<object>>, ApiError>> Delete(
        string asset_id, Caller caller, AssetService assets, CancellationToken ct)
    {
        await assets.DeleteAsync(await FindAsync(asset_id, caller, assets, ct), ct);
        return V2Envelope.Success<object>(null!);
    }

    private static Task<Asset> FindAsync(string id, Caller caller, AssetService assets, CancellationToken ct) =>
        AssetIds.ParseV2(id) is { } n ? assets.GetAsync(caller, n, null, ct) : throw AssetService.NotFound();
}
