namespace Mnemo.Server.Assets;

/// <summary>
/// What a file holds, as its parse read it: the kind, the length, the picture and the sound, the pages, and when,
/// with what and where a photo was taken. A parse fills one (<c>ParseResult.Media</c>) and the asset keeps one.
/// </summary>
public sealed class MediaInfo
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
}

/// <summary>A piece of text; <paramref name="AtSeconds"/> for text read from a video frame (the frame's time).</summary>
public sealed record TextPiece(string Content, int? PageNumber, long Offset, double? AtSeconds = null);

public sealed record TranscriptSegment(string Content, double StartSeconds, double EndSeconds);
