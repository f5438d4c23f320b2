using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// What a multipart upload carried: its files (already on disk) and its plain fields, every value of a
/// field sent more than once (<c>tags=a</c>, <c>tags=b</c>, as Python's requests sends a list) in order.
/// </summary>
public sealed record MultipartContent(IReadOnlyList<IncomingFile> Files, IReadOnlyDictionary<string, List<string>> Fields)
{
    /// <summary>The field's first non-empty value.</summary>
    public string? Field(string name) => Fields.TryGetValue(name, out var values) ? values.FirstOrDefault(v => v.Length > 0) : null;

    /// <summary>All non-empty values of a list field, comma-joined (how tags are kept), or null.</summary>
    public string? Joined(string name) =>
        Fields.TryGetValue(name, out var values) && values.Where(v => v.Length > 0).ToList() is { Count: > 0 } given ? string.Join(',', given) : null;

    public void DeleteFiles()
    {
        foreach (var file in Files)
        {
            AssetFiles.DeleteQuietly(file.Path);
        }
    }
}

/// <summary>Reads multipart/form-data section by section over the raw body (no form buffering).</summary>
public static class MultipartUpload
{
    /// <summary>As ASP.NET Core's own form reader (FormOptions.ValueCountLimit): more parts is an attack, not a form.</summary>
    private const int MaxSections = 1024;

    public static async Task<MultipartContent> ReadAsync(
        HttpRequest request, UploadReceiver receiver, string[] fileFields, int maxFiles, long? ceiling, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw new ApiException(new ApiError(ErrorCatalog.UnsupportedMediaType, "Send the file as multipart/form-data."));
        }

        var files = new List<IncomingFile>();
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var content = new MultipartContent(files, fields);
        var formFields = new FormFields(request.HttpContext.RequestServices.GetRequiredService<IOptions<AssetOptions>>().Value);
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
            var sections = 0;
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (++sections > MaxSections)
                {
                    throw new ApiException(ApiError.InvalidRequest($"The multipart body has more than {MaxSections} parts."));
                }

                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition() && fileFields.Contains(name))
                {
                    if (files.Count == maxFiles)
                    {
                        throw new ApiException(ApiError.Unprocessable($"At most {maxFiles} file(s) per request."));
                    }

                    var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value! : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                    files.Add(await ReceiveAsync(receiver, section.Body, Path.GetFileName(fileName), ceiling, ct));
                }
                else if (!disposition.IsFileDisposition())
                {
                    var value = await formFields.ReadAsync(section.Body, name, ct);
                    if (fields.TryGetValue(name, out var values))
                    {
                        values.Add(value);
                    }
                    else
                    {
                        fields[name] = [value];
                    }
                }
            }
        }
        catch (Exception e) when (e is not ApiException)
        {
            content.DeleteFiles();
            // Malformed multipart (the reader throws IOException "Unexpected end of Stream" for a body without
            // its boundaries), or the sender went away between parts. A failed disk write is not an IOException
            // here: ReceiveAsync below turns it into DependencyUnavailableException, so it stays a 503.
            if (e is InvalidDataException or BadHttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                throw new ApiException(ApiError.InvalidRequest("The multipart body is malformed or ended early."));
            }

            throw;
        }
        catch
        {
            content.DeleteFiles();
            throw;
        }

        if (files.Count == 0)
        {
            throw new ApiException(ApiError.InvalidRequest($"The multipart field '{fileFields[0]}' with a file is required."));
        }

        return content;
    }

    /// <summary>The receiver already turns a failed read into invalid_request; what is left is the store failing.</summary>
    private static async Task<IncomingFile> ReceiveAsync(UploadReceiver receiver, Stream body, string fileName, long? ceiling, CancellationToken ct)
    {
        try
        {
            return await receiver.ReceiveAsync(body, fileName, ceiling, ct);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new DependencyUnavailableException("The file store cannot take the upload.", e);
        }
    }
}
