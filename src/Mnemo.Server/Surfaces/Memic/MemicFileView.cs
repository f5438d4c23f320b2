using System.Text.Json;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>What parsing found; an addition to memic's file shape, null until the file is ready.</summary>
public sealed record MemicExtracted(
    double? DurationSeconds, int? Width, int? Height, double? Fps, int? Rotation, string? VideoCodec, string? AudioCodec,
    long? Bitrate, int? AudioChannels, DateTime? TakenAt, string? CameraModel, double? Latitude, double? Longitude, string? Format, string? Sha256);

/// <summary>memic's file: <c>{id, name, original_filename, size, mime_type, status, error_message, …}</c>.</summary>
public sealed record MemicFile(
    Guid Id, string Name, string OriginalFilename, long Size, string? MimeType, Guid ProjectId, string Status, string? ErrorMessage,
    string? ReferenceId, JsonElement? Metadata, int TotalChunks, int TotalEmbeddings, int? PageCount, string EnvironmentSlug,
    DateTime CreatedAt, DateTime UpdatedAt, MemicExtracted? Extracted, string? ProcessingStep)
{
    /// <summary>The file of an asset the caller can see: it lives in the caller's project environment.</summary>
    public static MemicFile Of(Asset a, Caller caller) => new(
        a.FileId, a.OriginalFilename, a.OriginalFilename, a.Sha256 is null ? a.DeclaredSize ?? 0 : a.Size,
        a.MimeType ?? a.DeclaredMimeType, caller.ProjectId, MemicStatus.Of(a), a.Cause, a.ReferenceId,
        ParseMetadata(a.MetadataJson),
        a.ChunkCount, a.EmbeddingCount, a.Media.PageCount, a.EnvironmentSlug, Utc(a.CreatedAt), Utc(a.UpdatedAt),
        a.Status == AssetStatus.Ready
            ? new MemicExtracted(a.Media.DurationSeconds, a.Media.Width, a.Media.Height, a.Media.Fps, a.Media.Rotation, a.Media.VideoCodec, a.Media.AudioCodec,
                a.Media.Bitrate, a.Media.AudioChannels, a.Media.TakenAt, a.Media.CameraModel, a.Media.Latitude, a.Media.Longitude, a.Format, a.Sha256)
            : null,
        a.Status == AssetStatus.Processing ? a.ProcessingStep : null);

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private static JsonElement? ParseMetadata(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record MemicFileList(IReadOnlyList<MemicFile> Items, int Total, int Page, int PageSize, int TotalPages);

/// <summary>A chunk of a file's content; <c>kind</c> and <c>confidence</c> are Mnemo additions: <c>text</c> (document text, or text read in
/// frames), <c>transcript</c> (speech or subtitles) or <c>seen</c> (objects the vision step saw, with the detector's confidence).</summary>
public sealed record MemicChunk(int ChunkIndex, string Content, int? PageNumber, double? StartTime, double? EndTime, string Kind, double? Confidence);

public sealed record MemicContent(Guid FileId, string Content, IReadOnlyList<MemicChunk> Chunks);

public sealed record MemicInitRequest(
    string? Filename, long? Size, string? MimeType, JsonElement? Metadata, string? ReferenceId, string? EnvironmentSlug, string? FolderId);

public sealed record MemicInitResponse(Guid FileId, string UploadUrl, int ExpiresIn);
