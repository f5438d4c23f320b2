using Mnemo.Server.Assets;

namespace Mnemo.Server.Processing;

/// <summary>A file that cannot be parsed; the message is the cause the user reads.</summary>
public sealed class ParseFailedException(string cause) : Exception(cause);

/// <summary>Everything one parse found; written in one transaction that replaces what a previous run wrote.</summary>
public sealed class ParseResult
{
    public MediaInfo Media { get; } = new();
    public List<TextPiece> Text { get; } = [];
    public List<TranscriptSegment> Transcript { get; } = [];
    public List<(double AtSeconds, string FileName)> Thumbnails { get; } = [];

    /// <summary>Object classes seen, each over its span of time (vision).</summary>
    public List<Understanding.SeenSpan> Seen { get; } = [];

    /// <summary>What the image or the video's frames look like (search by image).</summary>
    public List<Understanding.FrameFeatures> Features { get; } = [];

    /// <summary>The understanding steps (speech, OCR) and how each ended; one failing never loses another's output.</summary>
    public List<Understanding.StepOutcome> Steps { get; } = [];
}
