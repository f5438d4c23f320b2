using Microsoft.AspNetCore.Http.Features;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces;

/// <summary>A search by photo's multipart form as OpenAPI shows it (the endpoint reads the form itself).</summary>
public sealed record PhotoSearchForm(IFormFile File, int? TopK);

/// <summary>A search by photo's multipart form, on every surface: the image in field <c>file</c>, and <c>top_k</c>.</summary>
public sealed record PhotoForm(IFormFile File, int TopK)
{
    public static async Task<PhotoForm> ReadAsync(HttpRequest request, long maxBytes, int maxTopK, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            throw new ApiException(ApiError.InvalidRequest("Send the photo as multipart/form-data, field 'file'."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes }, ct);
        }
        catch (InvalidDataException e) when (e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(new ApiError(ErrorCatalog.FileTooLarge, $"The photo is over {maxBytes} bytes."));
        }
        catch (InvalidDataException e)
        {
            throw new ApiException(ApiError.InvalidRequest("The form is malformed: " + e.Message));
        }
        catch (IOException e) when (e is not BadHttpRequestException && !ct.IsCancellationRequested)
        {
            throw new ApiException(ApiError.InvalidRequest("The form body is malformed or ended early."));
        }

        var file = form.Files.GetFile("file") ?? throw new ApiException(ApiError.InvalidRequest("file is required: the photo of a face."));
        var topK = 10;
        if (form.TryGetValue("top_k", out var text) && !int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out topK))
        {
            throw new ApiException(ApiError.InvalidRequest("top_k must be an integer."));
        }

        return topK < 1 || topK > maxTopK
            ? throw new ApiException(ApiError.Unprocessable($"top_k must be between 1 and {maxTopK}."))
            : new PhotoForm(file, topK);
    }
}
