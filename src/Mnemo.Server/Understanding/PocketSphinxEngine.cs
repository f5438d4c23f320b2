using System.Globalization;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Understanding;

/// <summary>
/// Debian 12's pocketsphinx (0.8+5prealpha, the US English model): <c>pocketsphinx_continuous -infile x.wav -time yes</c>
/// prints each utterance's hypothesis, then one line per word: <c>word start end posterior</c>, in seconds from the file's start.
/// </summary>
public sealed class PocketSphinxEngine(ToolRunner tools) : ISpeechEngine
{
    public string Name => "pocketsphinx";

    public async Task<IReadOnlyList<SpokenWord>> RecognizeAsync(string wavPath, CancellationToken ct)
    {
        var run = await tools.RunAsync("pocketsphinx_continuous", ["-infile", wavPath, "-time", "yes", "-logfn", "/dev/null"], ct);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"pocketsphinx failed (exit {run.ExitCode}): {run.LastError()}");
        }

        return Parse(run.Stdout);
    }

    public static List<SpokenWord> Parse(string stdout)
    {
        var words = new List<SpokenWord>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4
                || !double.TryParse(parts[1], CultureInfo.InvariantCulture, out var start)
                || !double.TryParse(parts[2], CultureInfo.InvariantCulture, out var end)
                || !double.TryParse(parts[3], CultureInfo.InvariantCulture, out _))
            {
                continue; // a hypothesis line
            }

            var word = parts[0];
            if (word.StartsWith('<') || word.StartsWith('[') || word.StartsWith("++", StringComparison.Ordinal))
            {
                continue; // <s>, </s>, <sil>, [NOISE], ++filler++
            }

            var variant = word.IndexOf('(');
            words.Add(new SpokenWord(variant > 0 ? word[..variant] : word, start, end)); // "the(2)": the dictionary's second pronunciation
        }

        return words;
    }
}
