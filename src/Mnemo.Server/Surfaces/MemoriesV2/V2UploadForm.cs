namespace Mnemo.Server.Surfaces.MemoriesV2;

/// <summary>memories v2 upload as OpenAPI shows it (the endpoint reads the body as a stream): the file; asset_id attaches an SRT/VTT to that video.</summary>
public sealed record V2UploadForm(IFormFile File, string? AssetId);
