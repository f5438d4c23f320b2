namespace Mnemo.Server.Search.Semantic;

/// <summary>Which embedder semantic search uses; bound from "Mnemo:Search:Embedder".</summary>
public sealed class EmbedderOptions
{
    public const string Section = "Mnemo:Search:Embedder";

    /// <summary>MiniLM (built in), Onnx (<see cref="ModelPath"/> and <see cref="VocabPath"/>), Http (<see cref="Url"/>) or None.</summary>
    public string Kind { get; set; } = "MiniLM";

    /// <summary>A BERT-style sentence-transformer exported to ONNX (Kind Onnx).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Its WordPiece vocab.txt (Kind Onnx).</summary>
    public string? VocabPath { get; set; }

    /// <summary>The base of an OpenAI-compatible API, e.g. http://localhost:11434/v1; {Url}/embeddings is posted to (Kind Http).</summary>
    public string? Url { get; set; }

    public string? HttpModel { get; set; }

    public string? ApiKey { get; set; }

    public int HttpDimensions { get; set; }

    /// <summary>Intra-op threads of each ONNX run; 0 means 1 (runs go side by side instead, see <see cref="Concurrency"/>).</summary>
    public int Threads { get; set; }

    /// <summary>ONNX runs at once; 0 means min(2, processor count).</summary>
    public int Concurrency { get; set; }

    /// <summary>Texts per model run (ONNX) or per request (Http: raise it there). On a CPU, runs of two ~200-piece texts are fastest (bench/embed).</summary>
    public int BatchSize { get; set; } = 2;

    /// <summary>Word pieces per text, [CLS] and [SEP] included; longer texts are cut (ONNX).</summary>
    public int MaxTokens { get; set; } = 256;

    internal int EffectiveThreads => Threads > 0 ? Threads : 1;

    internal int EffectiveConcurrency => Concurrency > 0 ? Concurrency : Math.Min(2, Environment.ProcessorCount);
}
