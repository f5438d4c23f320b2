using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>memories v1 uploads: multipart (upload, upload_img) and by URL (upload_url).</summary>
public static class V1UploadsApi
{
    public sealed record Uploaded(
        [property: JsonPropertyName("videoNo")] string VideoNo,
        [property: JsonPropertyName("videoName")] string VideoName,
        [property: JsonPropertyName("videoStatus")] string VideoStatus,
        [property: JsonPropertyName("uploadTime")] string UploadTime)
    {
        public static Uploaded Of(Asset a) => new(AssetIds.V1(a.Id), a.OriginalFilename, V1Status.Of(a.Status), WireTime.Millis(a.CreatedAt));
    }

    public sealed record ImageId(string Id);

    public static RouteGroupBuilder MapV1Uploads(this RouteGroupBuilder group)
    {
        group.MapPost("/upload", Upload).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithBodyLimit(null).Accepts<V1UploadForm>("multipart/form-data")
            .WithSummary("Uploads a video (multipart field 'file'); an SRT/VTT with video_no becomes that video's transcript.");
        group.MapPost("/upload_url", UploadUrl).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().Accepts<V1UrlForm>("application/x-www-form-urlencoded", "multipart/form-data").WithSummary("The server downloads the file at 'url' (size cap, timeout).");
        group.MapPost("/upload_img", UploadImages).WithRateLimitClass(RateLimitClass.Upload).RequiresIndexingCredits().WithBodyLimit(null).Accepts<V1ImagesForm>("multipart/form-data").WithSummary("Uploads images (repeatable multipart field 'files').");
        return group;
    }

    private static async Task<Results<Ok<V1Envelope<Uploaded>>, ApiError>> Upload(
        HttpRequest request, Caller caller, AssetService assets, UploadReceiver receiver, IOptions<AssetOptions> options, CancellationToken ct)
    {
        var content = await MultipartUpload.ReadAsync(request, receiver, ["file"], 1, null, ct);
        UploadDetails details;
        try
        {
            details = V1Fields.Details(content.Field, options.Value, content.Joined);
        }
        catch
        {
            content.DeleteFiles();
            throw;
        }

        return V1Envelope.Success(Uploaded.Of(await assets.AcceptAsync(caller, content.Files[0], details, ct)));
    }

    private static async Task<Results<Ok<V1Envelope<List<ImageId>>>, ApiError>> UploadImages(
        HttpRequest request, Caller caller, AssetService assets, UploadReceiver receiver, IOptions<AssetOptions> options, CancellationToken ct)
    {
        var content = await MultipartUpload.ReadAsync(request, receiver, ["files", "file"], 20, options.Value.ImageMaxBytes, ct);
        if (content.Files.FirstOrDefault(f => f.Format.Kind != AssetKind.Image) is { } notImage)
        {
            content.DeleteFiles();
            return UploadReceiver.Unsupported(notImage.FileName).Error with { Detail = $"'{notImage.FileName}' is not an image (JPEG, PNG, GIF, WebP, BMP, TIFF)." };
        }

        var details = new UploadDetails { Namespace = V1Fields.Namespace(content.Field("unique_id"), content.Field("folder_id")) };
        var ids = new List<ImageId>();
        foreach (var file in content.Files)
        {
            ids.Add(new ImageId(AssetIds.V1((await assets.AcceptAsync(caller, file, details, ct)).Id)));
        }

        return V1Envelope.Success(ids);
    }

    private static async Task<Results<Ok<V1Envelope<Uploaded>>, ApiError>> UploadUrl(
        HttpRequest request, Caller caller, AssetService assets, UrlDownloader downloader, IOptions<AssetOptions> options, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return new ApiError(ErrorCatalog.UnsupportedMediaType, "Send the fields as a form (application/x-www-form-urlencoded or multipart/form-data).");
        }

        var form = await ReadFormAsync(request, options.Value, ct);
        string? Field(string name) => form[name].Select(v => v?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        string? Joined(string name) => form[name].Select(v => v?.Trim()).Where(v => !string.IsNullOrEmpty(v)).ToList() is { Count: > 0 } all
            ? string.Join(',', all)
            : null;
        if (Field("url") is not { } url)
        {
            return ApiError.InvalidRequest("url is required.");
        }

        var details = V1Fields.Details(Field, options.Value, Joined);
        var file = await downloader.DownloadAsync(url, ct);
        return V1Envelope.Success(Uploaded.Of(await assets.AcceptAsync(caller, file, details, ct)));
    }

    /// <summary>
    /// The form within the upload field limits. A body that breaks off or is not the multipart it claims
    /// is the client's error: the reader's IOException must not read as a store that is down (503).
    /// </summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, AssetOptions limits, CancellationToken ct)
    {
        try
        {
            var form = await request.ReadFormAsync(FormFields.Options(limits), ct);
            FormFields.CheckLengths(form, limits);
            return form;
        }
        catch (InvalidDataException e) when (e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(new ApiError(ErrorCatalog.FileTooLarge, $"The form is over its limits ({FormFields.Describe(limits)})."));
        }
        catch (InvalidDataException e)
        {
            throw new ApiException(ApiError.InvalidRequest($"The form is malformed or over its limits ({FormFields.Describe(limits)}): {e.Message}"));
        }
        catch (IOException e) when (e is not BadHttpRequestException && !ct.IsCancellationRequested)
        {
            throw new ApiException(ApiError.InvalidRequest("The form body is malformed or ended early."));
        }
    }
}
