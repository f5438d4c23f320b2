using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>memic files: init → PUT upload_url → confirm, one-call multipart, list, read, content, delete.</summary>
public static class MemicFilesApi
{
    public const string UploadPath = "/uploads/{token}";

    public static RouteGroupBuilder MapMemicFiles(this RouteGroupBuilder group)
    {
        group.MapPost("/files/init", Init).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithSummary("Starts an upload: returns a one-time upload_url to PUT the bytes to.");
        group.MapPut(UploadPath, Put).WithMetadata(new PublicEndpoint()).WithBodyLimit(null)
            .WithSummary("The upload_url of files/init: the URL is the credential, no API key.");
        group.MapPost("/files/{id}/confirm", Confirm).WithRateLimitClass(RateLimitClass.Upload).WithSummary("Ends an upload; the file starts processing.");
        group.MapPost("/files", Upload).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithBodyLimit(null).Accepts<MemicUploadForm>("multipart/form-data").WithSummary("Uploads a file (multipart field 'file') in one call.");
        group.MapGet("/files", List).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("Lists files of this environment, newest first.");
        group.MapGet("/files/{id}", Get).WithRateLimitClass(RateLimitClass.Status).WithSummary("One file.");
        group.MapGet("/files/{id}/status", Get).WithRateLimitClass(RateLimitClass.Status).WithSummary("One file; pollers read its status and error_message.");
        group.MapGet("/files/{id}/content", Content).WithRateLimitClass(RateLimitClass.Status).WithSummary("Extracted text or transcript; file_still_processing before ready.");
        group.MapPost("/files/{id}/reparse", Reparse).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithSummary("Parses a failed (or ready) file again; charged like the first parse.");
        group.MapMethods("/files/{id}/download", [HttpMethods.Get, HttpMethods.Head], Download).WithRateLimitClass(RateLimitClass.Download).WithSummary("The original bytes (range requests supported); a Mnemo addition used by the SDK and CLI.");
        group.MapDelete("/files/{id}", Delete).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("Deletes the file, its bytes and everything derived.");
        return group;
    }

    private static async Task<Results<Created<MemicInitResponse>, ApiError>> Init(
        MemicInitRequest request, Caller caller, AssetService assets, IOptions<AssetOptions> options, HttpContext http, CancellationToken ct)
    {
        ApiKeyCheck.EnsureEnvironment(caller, request.EnvironmentSlug);
        if (string.IsNullOrWhiteSpace(request.Filename) || request.Size is null || string.IsNullOrWhiteSpace(request.MimeType))
        {
            return ApiError.InvalidRequest("filename, size and mime_type are required.");
        }

        if (request.Size <= 0)
        {
            return ApiError.Unprocessable("size must be positive.");
        }

        var format = FileFormat.ByMimeType(request.MimeType);
        if (format is null)
        {
            return new ApiError(ErrorCatalog.InvalidFileType, $"mime_type '{request.MimeType}' is not a supported file type.");
        }

        var limit = Math.Min(options.Value.MaxBytesFor(format.Kind), options.Value.MemicMaxBytes);
        if (request.Size > limit)
        {
            return UploadReceiver.TooLarge(limit).Error;
        }

        var signed = await assets.CreateSignedAsync(caller, Path.GetFileName(request.Filename.Trim()), request.Size, request.MimeType,
            Details(request.Metadata, request.ReferenceId, request.FolderId), ct);
        var url = $"{http.Request.Scheme}://{http.Request.Host}{SurfacePaths.MemicPrefix}/uploads/{signed.Token}";
        return TypedResults.Created($"{SurfacePaths.MemicPrefix}/files/{signed.Asset.FileId}",
            new MemicInitResponse(signed.Asset.FileId, url, signed.ExpiresIn));
    }

    private static async Task<Ok> Put(
        string token, HttpRequest request, AssetService assets, UploadReceiver receiver, IOptions<AssetOptions> options, CancellationToken ct)
    {
        await assets.ReceiveSignedAsync(token, request.Body, receiver, options.Value.MemicMaxBytes, enqueue: false, ct);
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok<MemicFile>, ApiError>> Confirm(string id, Caller caller, AssetService assets, CancellationToken ct) =>
        TypedResults.Ok(MemicFile.Of(await assets.ConfirmAsync(caller, await FindAsync(id, caller, assets, ct), ct), caller));

    private static async Task<Results<Created<MemicFile>, ApiError>> Upload(
        HttpRequest request, Caller caller, AssetService assets, UploadReceiver receiver, IOptions<AssetOptions> options, CancellationToken ct)
    {
        var content = await MultipartUpload.ReadAsync(request, receiver, ["file"], 1, options.Value.MemicMaxBytes, ct);
        JsonElement? metadata = null;
        try
        {
            ApiKeyCheck.EnsureEnvironment(caller, content.Field("environment_slug"));
            if (content.Field("metadata") is { } text)
            {
                metadata = JsonDocument.Parse(text).RootElement.Clone();
            }
        }
        catch (Exception e)
        {
            content.DeleteFiles();
            if (e is JsonException)
            {
                return ApiError.InvalidRequest("metadata must be a JSON object.");
            }

            throw;
        }

        var asset = await assets.AcceptAsync(caller, content.Files[0], Details(metadata, content.Field("reference_id"), content.Field("folder_id")), ct);
        return TypedResults.Created($"{SurfacePaths.MemicPrefix}/files/{asset.FileId}", MemicFile.Of(asset, caller));
    }

    private static async Task<Results<Ok<MemicFileList>, ApiError>> List(
        Caller caller, AssetQueries assets, CancellationToken ct, int page = 1, int page_size = 20, string? status = null)
    {
        if (page < 1 || page_size is < 1 or > 100)
        {
            return ApiError.Unprocessable("page must be ≥ 1 and page_size between 1 and 100.");
        }

        if (status is not null && !MemicStatus.All.Contains(status))
        {
            return ApiError.Unprocessable($"status must be one of: {string.Join(", ", MemicStatus.All)}.");
        }

        var filter = new AssetFilter { AnyNamespace = true, Where = status is null ? null : MemicStatus.Filter(status) };
        var (items, total) = await assets.ListAsync(caller, filter, page, page_size, ct);
        return TypedResults.Ok(new MemicFileList([.. items.Select(a => MemicFile.Of(a, caller))], total, page, page_size, (total + page_size - 1) / page_size));
    }

    private static async Task<Results<Ok<MemicFile>, ApiError>> Reparse(string id, Caller caller, AssetService assets, CancellationToken ct) =>
        TypedResults.Ok(MemicFile.Of(await assets.ReparseAsync(caller, await FindAsync(id, caller, assets, ct), ct), caller));

    private static async Task<Results<Ok<MemicFile>, ApiError>> Get(string id, Caller caller, AssetService assets, CancellationToken ct) =>
        TypedResults.Ok(MemicFile.Of(await FindAsync(id, caller, assets, ct), caller));

    private static async Task<Results<Ok<MemicContent>, ApiError>> Content(string id, Caller caller, AssetService assets, AssetQueries queries, CancellationToken ct)
    {
        var asset = await FindAsync(id, caller, assets, ct);
        if (asset.Status != AssetStatus.Ready)
        {
            return asset.Status == AssetStatus.Failed
                ? new ApiError(ErrorCatalog.FileStillProcessing, $"Processing failed: {asset.Cause} Re-upload the file or ask for a re-parse.")
                : new ApiError(ErrorCatalog.FileStillProcessing, "The file is still processing; poll its status until it is ready.");
        }

        var chunks = await queries.ChunksAsync(asset.Id, ct);
        var text = string.Join("\n\n", chunks.Select(c => c.Content));
        return TypedResults.Ok(new MemicContent(asset.FileId, text,
            [.. chunks.Select((c, i) => new MemicChunk(i, c.Content, c.PageNumber, c.StartSeconds, c.EndSeconds,
                c.IsTranscript ? "transcript" : c.Confidence is null ? "text" : "seen", c.Confidence))]));
    }

    private static async Task<Results<FileStreamHttpResult, ApiError>> Download(
        string id, Caller caller, AssetService assets, AssetDownload download, CancellationToken ct)
    {
        var asset = await FindAsync(id, caller, assets, ct);
        return await download.SendAsync(caller, asset, asset.MimeType, ct);
    }

    private static async Task<Results<NoContent, ApiError>> Delete(string id, Caller caller, AssetService assets, CancellationToken ct)
    {
        await assets.DeleteAsync(await FindAsync(id, caller, assets, ct), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Asset> FindAsync(string id, Caller caller, AssetService assets, CancellationToken ct) =>
        Guid.TryParse(id, out var fileId)
            ? await assets.GetAsync(caller, null, fileId, ct)
            : throw AssetService.NotFound();

    private static UploadDetails Details(JsonElement? metadata, string? referenceId, string? folderId) => new()
    {
        MetadataJson = metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null,
        ReferenceId = string.IsNullOrWhiteSpace(referenceId) ? null : referenceId.Trim(),
        Namespace = string.IsNullOrWhiteSpace(folderId) ? AssetDefaults.Namespace : folderId.Trim(),
    };
}
