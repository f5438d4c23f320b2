namespace Mnemo.Server.Processing;

/// <summary>
/// The steps a parse goes through, as the asset's <c>processing_step</c> shows them while it runs; a failed
/// asset keeps the step that failed.
/// </summary>
public static class ProcessingSteps
{
    /// <summary>The format's own parser: ffprobe and keyframes, pdftotext, OpenXml, image metadata.</summary>
    public const string Reading = "reading";

    /// <summary>Speech-to-text of the audio track.</summary>
    public const string Speech = "speech";

    /// <summary>Text shown in the image, the video's keyframes or scanned pages.</summary>
    public const string Ocr = "ocr";

    /// <summary>Objects (and faces) seen in the image or the video's frames.</summary>
    public const string Vision = "vision";

    /// <summary>Writing chunks, thumbnails and search entries.</summary>
    public const string Indexing = "indexing";
}
