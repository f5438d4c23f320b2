using System.Text;
using System.Text.RegularExpressions;

namespace Mnemo.Bench.Scale;

/// <summary>
/// Chunk texts of about 1,000 characters made of real English sentences (Debian's license texts),
/// shuffled with a fixed seed: the full-text index gets realistic postings for the bench's questions.
/// </summary>
public sealed partial class Corpus
{
    public const string Licenses = "/usr/share/common-licenses";

    private const int ChunkChars = 1000;

    private readonly string[] sentences;
    private readonly Random random;

    public Corpus(int seed)
    {
        random = new Random(seed);
        sentences = [.. Directory.EnumerateFiles(Licenses)
            .Where(f => new FileInfo(f).LinkTarget is null)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => SentenceEnd().Split(File.ReadAllText(f)))
            .Select(s => Space().Replace(s, " ").Trim())
            .Where(s => s.Length > 20)];
    }

    public int Sentences => sentences.Length;

    /// <summary>The next chunk: sentences drawn at random until about 1,000 characters, cut at a space.</summary>
    public string Next()
    {
        var text = new StringBuilder(ChunkChars + 400);
        while (text.Length < ChunkChars)
        {
            text.Append(sentences[random.Next(sentences.Length)]).Append(' ');
        }

        var cut = text.Length > ChunkChars + 100 ? text.ToString().LastIndexOf(' ', ChunkChars + 100) : text.Length - 1;
        return text.ToString(0, cut > ChunkChars / 2 ? cut : text.Length - 1);
    }

    [GeneratedRegex(@"(?<=[.;:])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
