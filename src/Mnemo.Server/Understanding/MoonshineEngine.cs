using System.Globalization;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Understanding;

/// <summary>
/// Moonshine tiny (English, MIT), run by Node on onnxruntime-node; everything comes from the npm registry
/// (<see cref="InstallCommand"/>). The model writes text, not times: each word gets the share of its
/// stretch of speech that its letters have (<see cref="MoonshineScript"/>).
/// </summary>
public sealed class MoonshineEngine(ToolRunner tools, string installDir) : ISpeechEngine
{
    /// <summary>The install into <paramref name="dir"/> (Node.js and npm needed): the repository's script, which says why it is so.</summary>
    public static string InstallCommand(string dir) => $"scripts/install-moonshine \"{dir}\"";

    private static readonly string[] Files =
    [
        "node_modules/onnxruntime-node/package.json",
        "node_modules/llama-tokenizer-js/llama-tokenizer.js",
        "package/dist/model/tiny/quantized/encoder_model.onnx",
        "package/dist/model/tiny/quantized/decoder_model_merged.onnx",
    ];

    public string Name => "moonshine";

    public static string DefaultDir { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "mnemo", "moonshine");

    /// <summary>What this machine lacks to run the engine from <paramref name="dir"/>; empty when it can.</summary>
    public static List<string> Missing(string dir) => NodeInstall.Missing(dir, Files);

    public async Task<IReadOnlyList<SpokenWord>> RecognizeAsync(string wavPath, CancellationToken ct)
    {
        var run = await tools.RunAsync("node", ["--input-type=module", "-e", MoonshineScript.Source, installDir, wavPath], ct);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"moonshine failed (exit {run.ExitCode}): {run.LastError()}");
        }

        return Parse(run.Stdout);
    }

    /// <summary>Lines of <c>start TAB end TAB word</c>; anything else is not a word.</summary>
    public static List<SpokenWord> Parse(string stdout)
    {
        var words = new List<SpokenWord>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.TrimEnd('\r').Split('\t');
            if (parts.Length == 3
                && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var start)
                && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var end)
                && parts[2].Trim().Length > 0)
            {
                words.Add(new SpokenWord(parts[2].Trim(), start, end));
            }
        }

        return words;
    }
}
