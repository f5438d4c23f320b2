using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// The configured <see cref="Embedder"/>, made once on first use (none when it is off or cannot load:
/// search is then by words only, with a warning), used for the entries of a parse, the backfill and questions.
/// A text longer than the model reads (MiniLM: 256 word pieces, about 1,000 characters) is embedded in
/// windows whose vectors are averaged, so the end of a long chunk counts as much as its start.
/// </summary>
public sealed partial class Embeddings : IDisposable
{
    /// <summary>About 200 word pieces of English: inside MiniLM's window with room for long words.</summary>
    public const int WindowChars = 900;

    private const int MaxWindows = 4;
    private const int QuestionCacheSize = 2048;

    private readonly Lazy<Embedder?> embedder;
    private readonly EmbedderOptions options;
    private readonly ConcurrentDictionary<string, float[]> questions = new();

    public Embeddings(IOptions<EmbedderOptions> options, IHttpClientFactory http, ILogger<Embeddings> logger)
    {
        this.options = options.Value;
        embedder = new Lazy<Embedder?>(() =>
        {
            try
            {
                var made = InProcess(this.options) is { } key ? Shared.GetOrAdd(key, _ => new(() => EmbedderFactory.Create(this.options, http))).Value
                    : EmbedderFactory.Create(this.options, http);
                if (made is null)
                {
                    Off(logger);
                }

                return made;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                CannotLoad(logger, e, this.options.Kind);
                return null;
            }
        });
    }

    /// <summary>
    /// In-process models are loaded once per process and never disposed: a second host in the same process
    /// (tests run dozens) reuses the ~90 MB session instead of loading its own.
    /// </summary>
    private static readonly ConcurrentDictionary<string, Lazy<Embedder?>> Shared = new();

    private static string? InProcess(EmbedderOptions o) => o.Kind.ToUpperInvariant() is "MINILM" or "ONNX"
        ? string.Join('|', o.Kind.ToUpperInvariant(), o.ModelPath, o.VocabPath, o.Threads, o.Concurrency, o.BatchSize, o.MaxTokens)
        : null;

    /// <summary>Loads the model (on the caller's thread); false when search is by words only.</summary>
    public bool Enabled => embedder.Value is not null;

    public string? Model => embedder.Value?.Model;

    public int Dimensions => embedder.Value?.Dimensions ?? 0;

    /// <summary>A text's vector from a batch <see cref="EmbedAsync"/> made, or a zero vector (a blank text: it matches nothing).</summary>
    public byte[] BytesOf(IReadOnlyDictionary<string, float[]> batch, string text) =>
        Vectors.ToBytes(batch.TryGetValue(text, out var v) ? v : new float[Dimensions]);

    /// <summary>Whether entries of this kind get a vector: everything people read, not the metadata line of ids.</summary>
    public static bool Embeds(SearchEntryKind kind) => kind != SearchEntryKind.Metadata;

    /// <summary>A vector for each distinct non-blank text, in batches.</summary>
    public async Task<IReadOnlyDictionary<string, float[]>> EmbedAsync(IEnumerable<string> texts, CancellationToken ct)
    {
        var model = embedder.Value;
        var distinct = texts.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToList();
        if (model is null || distinct.Count == 0)
        {
            return new Dictionary<string, float[]>();
        }

        var windows = distinct.SelectMany((t, i) => Windows(t).Select(w => (Text: i, Window: w))).ToList();
        var vectors = await model.EmbedAsync([.. windows.Select(w => w.Window)], ct);
        var result = new Dictionary<string, float[]>(distinct.Count, StringComparer.Ordinal);
        foreach (var group in windows.Select((w, i) => (w.Text, Vector: vectors[i])).GroupBy(w => w.Text))
        {
            result[distinct[group.Key]] = Mean([.. group.Select(g => g.Vector)]);
        }

        return result;
    }

    /// <summary>The question's vector (recent questions are kept), or null when search is by words only.</summary>
    public async Task<float[]?> QuestionAsync(string text, CancellationToken ct)
    {
        if (!Enabled)
        {
            return null;
        }

        if (questions.TryGetValue(text, out var known))
        {
            return known;
        }

        // The model reads its first 256 word pieces; a longer question costs tokenizing and no more meaning.
        var vector = (await embedder.Value!.EmbedAsync([text.Length > WindowChars * 2 ? text[..(WindowChars * 2)] : text], ct))[0];
        if (questions.Count >= QuestionCacheSize)
        {
            questions.Clear();
        }

        questions[text] = vector;
        return vector;
    }

    public void Dispose()
    {
        if (embedder.IsValueCreated && InProcess(options) is null)
        {
            embedder.Value?.Dispose();
        }
    }

    /// <summary>The text cut into pieces of at most <paramref name="chars"/> characters, at a space where there is one.</summary>
    public static IEnumerable<string> Windows(string text, int chars = WindowChars, int max = MaxWindows)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        for (var n = 0; n < max && start < text.Length; n++)
        {
            var end = Math.Min(text.Length, start + chars);
            if (end < text.Length)
            {
                var cut = text.LastIndexOf(' ', end - 1, end - start);
                end = cut > start + chars / 2 ? cut : end;
            }

            yield return text[start..end];
            start = end;
        }
    }

    private static float[] Mean(float[][] vectors)
    {
        if (vectors.Length == 1)
        {
            return vectors[0];
        }

        var mean = new float[vectors[0].Length];
        foreach (var v in vectors)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(mean, v, mean);
        }

        Vectors.Normalize(mean);
        return mean;
    }

    [LoggerMessage(LogLevel.Warning, "Search by meaning is off (Mnemo:Search:Embedder:Kind = None): search is by words only")]
    private static partial void Off(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "The embedding model ({Kind}) could not load: search is by words only")]
    private static partial void CannotLoad(ILogger logger, Exception exception, string kind);
}
