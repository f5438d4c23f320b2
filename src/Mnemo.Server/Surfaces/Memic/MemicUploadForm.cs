namespace Mnemo.Server.Surfaces.Memic;

/// <summary>memic POST /files as OpenAPI shows it (the endpoint reads the body as a stream): the file plus optional fields.</summary>
public sealed record MemicUploadForm(IFormFile File, string? ReferenceId, string? Metadata, string? EnvironmentSlug, string? FolderId);
