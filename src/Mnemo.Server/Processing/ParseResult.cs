using Mnemo.Server.Assets;

namespace Mnemo.Server.Processing;

/// <summary>A file that cannot be parsed; the message is the cause the user reads.</summary>
public sealed class ParseFailedException(string cause) : Exception(cause);

/// <summary>Everything one parse found; written in one transaction that replaces what a previous run wrote.</summary>
public sealed class ParseResult
{
    public AssetKind? Kind { get; set; }
    public double? DurationSeconds { get; set; }
    public double? Fps { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public int? Rotation { get; set; }
    public string? VideoCodec { get; set; }
    public string? AudioCodec { get; set; }
    public long? Bitrate { get; set; }
    public int? AudioChannels { get; set; }
    public int? PageCount { get; set; }
    public DateTime? TakenAt { get; set; }
    public string? CameraModel { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public List<TextPiece> Text { get; } = [];
    public List<TranscriptSegment> Transcript { get; } = [];
    public List<(double AtSeconds, string FileName)> Thumbnails { get; } = [];

    /// <summary>Object classes seen, each over its span of time (vision).</summary>
    public List<Understanding.SeenSpan> Seen { get; } = [];

    /// <summary>The understanding steps (speech, OCR) and how each ended; one failing never loses another's output.</summary>
    public List<Understanding.StepOutcome> Steps { get; } = [];
}

/// <summary>A piece of text; <paramref name="AtSeconds"/> for text read from a video frame (the frame's time).</summary>
public sealed record TextPiece(string Content, int? PageNumber, long Offset, double? AtSeconds = null);

public sealed record TranscriptSegment(string Content, double StartSeconds, double EndSeconds);
