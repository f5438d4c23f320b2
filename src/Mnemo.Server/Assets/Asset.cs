namespace Mnemo.Server.Assets;

/// <summary>The core lifecycle; each surface names these its own way, in its own folder (V1Status, V2Status, MemicStatus).</summary>
public enum AssetStatus
{
    /// <summary>Created by a signed-URL or init call; the bytes have not arrived (surfaces show it as queued).</summary>
    AwaitingUpload,
    Queued,
    Processing,
    Ready,
    Failed,
}

public enum AssetKind
{
    Video,
    Audio,
    Image,
    Document,
}

/// <summary>
/// One uploaded file. <see cref="Id"/> is the sequence every surface id derives from (VI{n}, re_{n});
/// memic uses <see cref="FileId"/>. A deleted asset keeps its row as a tombstone (<see cref="DeletedAt"/>)
/// so a second delete can be told from an unknown id.
/// </summary>
public sealed class Asset
{
    public long Id { get; init; }
    public Guid FileId { get; init; } = Guid.CreateVersion7();
    public Guid AccountId { get; init; }
    public Guid EnvironmentId { get; init; }
    public required string EnvironmentSlug { get; init; }

    /// <summary>memories v1 unique_id (v1.1 folder_id): a caller-chosen namespace inside the account.</summary>
    public string Namespace { get; init; } = AssetDefaults.Namespace;

    public required string OriginalFilename { get; set; }
    public long Size { get; set; }
    public string? Sha256 { get; set; }
    public string? Format { get; set; }
    public string? MimeType { get; set; }
    public AssetStatus Status { get; set; }
    public string? Cause { get; set; }

    /// <summary>While processing, what runs now (reading, speech, ocr, vision, indexing); null otherwise.</summary>
    public string? ProcessingStep { get; set; }

    // What the uploader told us.
    public string? Tags { get; set; }
    public string? CallbackUrl { get; set; }
    public string? ReferenceId { get; set; }
    public string? MetadataJson { get; set; }
    public string? DeclaredMimeType { get; set; }
    public long? DeclaredSize { get; set; }
    public string? UploadTokenHash { get; set; }
    public DateTime? UploadExpiresAt { get; set; }

    /// <summary>For a subtitle file uploaded against another asset: the asset it is the transcript of.</summary>
    public long? TranscriptOf { get; set; }

    /// <summary>What parsing found; the kind from the upload's format until then, where and when a photo was taken also from the uploader.</summary>
    public MediaInfo Media { get; set; } = new();

    public int ChunkCount { get; set; }
    public int ThumbnailCount { get; set; }

    /// <summary>How many of the asset's search entries carry a vector (memic <c>total_embeddings</c>).</summary>
    public int EmbeddingCount { get; set; }

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

/// <summary>
/// A piece of extracted text: a document chunk (page or offset), a transcript segment (times), or what was
/// seen over a span of a video or in an image (times and <see cref="Confidence"/>).
/// </summary>
public sealed class AssetChunk
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public int Index { get; init; }
    public required string Content { get; init; }
    public bool IsTranscript { get; init; }
    public int? PageNumber { get; init; }
    public long? Offset { get; init; }
    public double? StartSeconds { get; init; }
    public double? EndSeconds { get; init; }

    /// <summary>For a thing seen (an object detected over a span of the video): the detector's confidence; null for text.</summary>
    public double? Confidence { get; init; }
}

/// <summary>How an understanding step (speech, OCR, vision) of the asset's last parse ended; replaced by every parse.</summary>
public sealed class AssetStep
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public required string Name { get; init; }
    public required string State { get; init; }
    public string? Detail { get; init; }
    public long Milliseconds { get; init; }
}

/// <summary>A keyframe thumbnail of a video, or the thumbnail of an image, stored beside the original.</summary>
public sealed class AssetThumbnail
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public int Index { get; init; }
    public double AtSeconds { get; init; }
    public required string FileName { get; init; }
}

public static class AssetDefaults
{
    public const string Namespace = "default";
}
