namespace Mnemo.Server.Surfaces.MemoriesV1;

// The multipart bodies as OpenAPI shows them. The endpoints read the body as a stream (MultipartUpload);
// these types only describe it.

/// <summary>memories v1 upload: the file plus optional fields.</summary>
public sealed record V1UploadForm(
    IFormFile File, string? UniqueId, string? Callback, string? Tags, string? DatetimeTaken, string? CameraModel,
    double? Latitude, double? Longitude, string? VideoNo);

/// <summary>memories v1 upload_img: one or more images.</summary>
public sealed record V1ImagesForm(IFormFileCollection Files, string? UniqueId);

/// <summary>memories v1 upload_url: the URL to fetch plus the upload fields.</summary>
public sealed record V1UrlForm(
    string Url, string? UniqueId, string? Callback, string? Tags, string? DatetimeTaken, string? CameraModel, double? Latitude, double? Longitude);
