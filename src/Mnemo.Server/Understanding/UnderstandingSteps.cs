using Mnemo.Server.Assets;

namespace Mnemo.Server.Understanding;

/// <summary>The understanding steps, as the asset's <c>processing_step</c> shows them while each runs.</summary>
public static class UnderstandingSteps
{
    /// <summary>Speech-to-text of the audio track.</summary>
    public const string Speech = "speech";

    /// <summary>Text shown in the image, the video's keyframes or scanned pages.</summary>
    public const string Ocr = "ocr";

    /// <summary>Objects (and faces) seen in the image or the video's frames.</summary>
    public const string Vision = "vision";

    /// <summary>What the image or the video's frames look like, as vectors for search by image.</summary>
    public const string Features = "features";
}

/// <summary>How one understanding step of a parse ended: ok, failed (with the cause) or skipped (with the reason).</summary>
public sealed record StepOutcome(string Name, string State, string? Detail, long Milliseconds)
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>What the format's parser found that the understanding steps build on.</summary>
/// <param name="KeyframeTimes">The times of the video's keyframe thumbnails (OCR and vision look there first).</param>
/// <param name="HasTranscript">The file brought its own transcript (a subtitle track), so speech is not needed.</param>
/// <param name="PagesWithText">The PDF pages whose text layer gave text; the others are scanned and read by OCR.</param>
public sealed record ParsedFile(
    FileFormat Format, string Path, MediaInfo Media, IReadOnlyList<double> KeyframeTimes, bool HasTranscript, IReadOnlySet<int> PagesWithText);

/// <summary>What the understanding steps added, each step's outcome with it; the parse merges it into its own result.</summary>
public sealed class Understood
{
    public List<TextPiece> Text { get; } = [];
    public List<TranscriptSegment> Transcript { get; } = [];
    public List<SeenSpan> Seen { get; } = [];

    /// <summary>The image's features, or those of the video's frames (each with its time), for search by image.</summary>
    public List<FrameFeatures> Features { get; } = [];

    public List<StepOutcome> Steps { get; } = [];
}
