namespace Mnemo.Server.Processing;

/// <summary>The parse queue and its workers (section Mnemo:Processing).</summary>
public sealed class ProcessingOptions
{
    /// <summary>Parse workers in this process; 0 leaves parsing to other instances sharing the store.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>A claimed job is another worker's to take once its lease runs out; the holder renews it.</summary>
    public double LeaseSeconds { get; set; } = 60;

    /// <summary>How often an idle worker looks for work it was not told about (other instances, expired leases).</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Attempts for unexpected failures (a tool timing out, the store down); a bad file fails at once.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Keyframe thumbnails: at most one per this many seconds, at scene changes.</summary>
    public double ThumbnailIntervalSeconds { get; set; } = 5;

    public double SceneThreshold { get; set; } = 0.3;

    public int MaxThumbnails { get; set; } = 200;

    /// <summary>Documents are split into chunks of about this many characters.</summary>
    public int ChunkChars { get; set; } = 2000;

    /// <summary>
    /// Most chunks one file may give (text, OCR and transcript together); more fails the parse. It also caps the
    /// text read from any document at this many times <see cref="ChunkChars"/>, so a flood stops early.
    /// </summary>
    public int MaxChunksPerAsset { get; set; } = 10_000;

    /// <summary>An Office file (a zip) may unpack to at most this many bytes, all entries together.</summary>
    public long MaxExpandedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>An Office file may hold at most this many entries.</summary>
    public int MaxArchiveEntries { get; set; } = 10_000;

    /// <summary>
    /// No entry of an Office file may unpack to more than this many times its packed size (past its first MB):
    /// real XML packs 5 to 20 times, a bomb of repeated bytes about 1000 times. Apache POI's default too.
    /// </summary>
    public int MaxCompressionRatio { get; set; } = 100;

    /// <summary>
    /// Most pixels an image or a video frame may have: a PNG of a few KB can claim a picture that decodes to GBs
    /// (for the thumbnail and OCR). 100 MP is more than cameras write by default; decoded as RGBA, 400 MB.
    /// </summary>
    public long MaxImagePixels { get; set; } = 100_000_000;

    /// <summary>Refuses a picture over <see cref="MaxImagePixels"/> before anything decodes it.</summary>
    public void CheckPixels(int? width, int? height, string what)
    {
        if ((long?)width * height is { } pixels && pixels > MaxImagePixels)
        {
            throw new ParseFailedException($"The {what} is {width} x {height} pixels ({pixels}), beyond the limit of {MaxImagePixels} pixels per image or video frame.");
        }
    }
}
