using System.Linq.Expressions;
using Mnemo.Server.Assets;
using Mnemo.Server.Processing;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>
/// memic's file status: exactly the official Memic Python SDK's <c>FileStatus</c> enum, which rejects any
/// other value. How Mnemo's steps map onto it is in docs/assets.md: the format's parser, speech-to-text,
/// OCR, vision and image features are "parsing"; embedding the texts is "embedding"; writing chunks, search entries and
/// vectors comes after the vectors exist ("embedding_complete"). Mnemo converts no file, so it never claims that step.
/// </summary>
public static class MemicStatus
{
    public const string Uploading = "uploading";
    public const string Uploaded = "uploaded";
    public const string ParsingStarted = "parsing_started";
    public const string ChunkingStarted = "chunking_started";
    public const string EmbeddingStarted = "embedding_started";
    public const string EmbeddingComplete = "embedding_complete";
    public const string Ready = "ready";
    public const string UploadFailed = "upload_failed";
    public const string ParsingFailed = "parsing_failed";
    public const string ChunkingFailed = "chunking_failed";

    /// <summary>Every value of the SDK's enum; the list filter takes any of them.</summary>
    public static readonly string[] All =
    [
        Uploading, Uploaded,
        "conversion_started", "conversion_complete", "conversion_failed",
        ParsingStarted, "parsing_complete", ParsingFailed,
        ChunkingStarted, "chunking_complete", ChunkingFailed,
        EmbeddingStarted, EmbeddingComplete, "embedding_failed",
        Ready, UploadFailed,
    ];

    public static string Of(Asset a) => a.Status switch
    {
        AssetStatus.AwaitingUpload => Uploading,
        AssetStatus.Queued => Uploaded,
        AssetStatus.Processing => a.ProcessingStep switch
        {
            ProcessingSteps.Embedding => EmbeddingStarted,
            ProcessingSteps.Indexing => EmbeddingComplete,
            _ => ParsingStarted,
        },
        AssetStatus.Ready => Ready,
        // Bytes that never arrived whole (an expired URL, a size mismatch, a cut upload) have no digest.
        _ when a.Sha256 is null => UploadFailed,
        _ => a.ProcessingStep == ProcessingSteps.Indexing ? ChunkingFailed : ParsingFailed,
    };

    /// <summary>The assets a status filter selects: the inverse of <see cref="Of"/> (a status Mnemo never sends selects none).</summary>
    public static Expression<Func<Asset, bool>> Filter(string status) => status switch
    {
        Uploading => a => a.Status == AssetStatus.AwaitingUpload,
        Uploaded => a => a.Status == AssetStatus.Queued,
        ParsingStarted => a => a.Status == AssetStatus.Processing
            && (a.ProcessingStep == null || (a.ProcessingStep != ProcessingSteps.Indexing && a.ProcessingStep != ProcessingSteps.Embedding)),
        EmbeddingStarted => a => a.Status == AssetStatus.Processing && a.ProcessingStep == ProcessingSteps.Embedding,
        EmbeddingComplete => a => a.Status == AssetStatus.Processing && a.ProcessingStep == ProcessingSteps.Indexing,
        Ready => a => a.Status == AssetStatus.Ready,
        UploadFailed => a => a.Status == AssetStatus.Failed && a.Sha256 == null,
        ParsingFailed => a => a.Status == AssetStatus.Failed && a.Sha256 != null && (a.ProcessingStep == null || a.ProcessingStep != ProcessingSteps.Indexing),
        ChunkingFailed => a => a.Status == AssetStatus.Failed && a.Sha256 != null && a.ProcessingStep == ProcessingSteps.Indexing,
        _ => a => false,
    };
}
