namespace Mnemo.Server.Processing;

/// <summary>
/// The steps of a parse that are Processing's own, as the asset's <c>processing_step</c> shows them while
/// they run; between them run the understanding steps (<see cref="Understanding.UnderstandingSteps"/>). A failed
/// asset keeps the step that failed.
/// </summary>
public static class ProcessingSteps
{
    /// <summary>The format's own parser: ffprobe and keyframes, pdftotext, OpenXml, image metadata.</summary>
    public const string Reading = "reading";

    /// <summary>Embedding every piece of text the search index will hold (memic <c>embedding_started</c>).</summary>
    public const string Embedding = "embedding";

    /// <summary>Writing chunks, thumbnails, search entries and their vectors.</summary>
    public const string Indexing = "indexing";
}
