using System.Globalization;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Understanding;

/// <summary>
/// One object class on screen from <paramref name="StartSeconds"/> to <paramref name="EndSeconds"/> (both null in an
/// image), as many as <paramref name="Count"/> at once, <paramref name="Score"/> the detector's best confidence.
/// </summary>
public sealed record SeenSpan(string Class, int Count, double? StartSeconds, double? EndSeconds, double Score)
{
    /// <summary>The searchable text: <c>giraffe</c>, <c>2 horses</c>, <c>3 people (person)</c>.</summary>
    public string Text => Count > 1 ? Seeing.CountOf(Class, Count) : Class;
}

/// <summary>
/// What is seen (the understanding step <c>vision</c>): pictures go through <see cref="VisionEngine"/>, objects at or
/// above <see cref="UnderstandingOptions.MinVisionScore"/> become spans of time (<see cref="Merge"/>); faces are counted.
/// </summary>
public sealed partial class Seeing(VisionEngine engine, ToolRunner tools, IOptions<UnderstandingOptions> options)
{
    public sealed record Seen(List<SeenSpan> Spans, int Pictures, int Faces);

    public async Task<Seen> ImageAsync(string path, string workDir, CancellationToken ct)
    {
        var sight = await LookAsync(path, null, workDir, ct);
        return new Seen(Merge([(null, sight)], null, options.Value.MinVisionScore), 1, sight.Faces.Count);
    }

    /// <summary>
    /// Frames at every keyframe that starts a scene (the thumbnails keep one per few seconds; a span should start where
    /// its shot does) and on a grid (<see cref="ImageText.FrameTimes"/>), merged into spans up to the video's end.
    /// </summary>
    public async Task<Seen> VideoAsync(string videoPath, IEnumerable<double> keyframes, double? duration, string workDir, CancellationToken ct)
    {
        var o = options.Value;
        var scenes = await SceneKeyframesAsync(videoPath, ct);
        var times = ImageText.FrameTimes(keyframes.Concat(scenes), duration, o.VisionIntervalSeconds, o.MaxVisionFrames);
        var frames = new List<(double? At, Sight Sight)>();
        foreach (var at in times)
        {
            frames.Add((at, await LookAsync(videoPath, at, workDir, ct)));
        }

        return new Seen(Merge(frames, duration, options.Value.MinVisionScore), frames.Count, frames.Sum(f => f.Sight.Faces.Count));
    }

    /// <summary>
    /// Per class, the run of consecutive frames that show it is one span: from the first of them to the next frame
    /// that does not (what is on screen stays there until a frame says otherwise), or to <paramref name="end"/>.
    /// </summary>
    public static List<SeenSpan> Merge(IReadOnlyList<(double? At, Sight Sight)> frames, double? end, double minScore)
    {
        var spans = new List<SeenSpan>();
        var open = new Dictionary<string, (double? Start, int Count, double Score)>();
        foreach (var (at, sight) in frames)
        {
            var here = sight.Objects.Where(o => o.Score >= minScore).GroupBy(o => o.Class)
                .ToDictionary(g => g.Key, g => (Count: g.Count(), Score: g.Max(o => o.Score)));
            foreach (var (name, span) in open.Where(o => !here.ContainsKey(o.Key)).ToList())
            {
                spans.Add(new SeenSpan(name, span.Count, span.Start, at, span.Score));
                open.Remove(name);
            }

            foreach (var (name, seen) in here)
            {
                open[name] = open.TryGetValue(name, out var s)
                    ? (s.Start, Math.Max(s.Count, seen.Count), Math.Max(s.Score, seen.Score))
                    : (at, seen.Count, seen.Score);
            }
        }

        var last = end ?? (frames.Count > 0 ? frames[^1].At : null);
        spans.AddRange(open.Select(o => new SeenSpan(o.Key, o.Value.Count, o.Value.Start, last, o.Value.Score)));
        return [.. spans.OrderBy(s => s.StartSeconds).ThenBy(s => s.Class, StringComparer.Ordinal)];
    }

    /// <summary>COCO's class names counted; a plural that does not share the singular's stem keeps the singular beside it, so both are found.</summary>
    public static string CountOf(string name, int count)
    {
        var n = count.ToString(CultureInfo.InvariantCulture);
        return Irregular.TryGetValue(name, out var plural) ? $"{n} {plural} ({name})" : $"{n} {Plural(name)}";
    }

    private static readonly Dictionary<string, string> Irregular = new() { ["person"] = "people", ["mouse"] = "mice" };

    /// <summary>The 80 COCO classes centernet knows, in its order.</summary>
    public static readonly string[] Classes =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light", "fire hydrant",
        "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe",
        "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat",
        "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl",
        "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
        "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave",
        "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
    ];

    public static string Plural(string name) => name switch
    {
        "sheep" or "skis" or "scissors" => name,
        "knife" => "knives",
        _ when name.EndsWith('s') || name.EndsWith('x') || name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal) => name + "es",
        _ => name + "s",
    };

    /// <summary>Keyframes whose scene score passes <see cref="UnderstandingOptions.SceneThreshold"/>; only keyframes are decoded.</summary>
    public async Task<List<double>> SceneKeyframesAsync(string path, CancellationToken ct)
    {
        var threshold = options.Value.SceneThreshold.ToString(CultureInfo.InvariantCulture);
        var run = await tools.RunAsync("ffmpeg",
        [
            "-v", "info", "-nostats", "-nostdin", "-skip_frame", "nokey", "-i", path, "-an", "-sn",
            "-vf", $"scale=160:-2,select='gt(scene\\,{threshold})',showinfo", "-fps_mode", "passthrough", "-f", "null", "-",
        ], ct);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg cannot decode the video: {run.LastError()}");
        }

        return [.. ShowInfoTime().Matches(run.Stderr).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Parsed_showinfo.*?pts_time:\s*(-?[0-9.]+)")]
    private static partial System.Text.RegularExpressions.Regex ShowInfoTime();

    /// <summary>One picture as ffmpeg decodes it (a video's frame at <paramref name="at"/>), at most 800 px a side, as RGB.</summary>
    private async Task<Sight> LookAsync(string path, double? at, string workDir, CancellationToken ct)
    {
        var ppm = Path.Combine(workDir, "sight.ppm");
        var seek = at is { } t ? new[] { "-ss", t.ToString("0.###", CultureInfo.InvariantCulture) } : [];
        var convert = await tools.RunAsync("ffmpeg",
        [
            "-v", "error", "-nostdin", "-y", .. seek, "-i", path, "-frames:v", "1", "-an", "-sn",
            "-vf", "scale=w='min(800\\,iw)':h='min(800\\,ih)':force_original_aspect_ratio=decrease", "-pix_fmt", "rgb24", ppm,
        ], ct);
        if (convert.ExitCode != 0 || !File.Exists(ppm))
        {
            throw new InvalidOperationException($"ffmpeg cannot decode the picture: {convert.LastError()}");
        }

        return await engine.DetectAsync(ppm, ct);
    }
}

/// <summary>A span seen is stored as an <see cref="AssetChunk"/>: its text, its times and the detector's confidence.</summary>
public static class SeenChunks
{
    public static bool IsSeen(AssetChunk chunk) => chunk is { IsTranscript: false, Confidence: not null };

    /// <summary>How many at once, read back from the text <see cref="SeenSpan.Text"/> wrote (<c>2 horses</c>: 2).</summary>
    public static int CountOf(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && int.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
    }

    /// <summary>The class read back from the text (<c>2 horses</c>: horse; <c>3 people (person)</c>: person).</summary>
    public static string ClassOf(string text)
    {
        if (CountOf(text) == 1 && !char.IsAsciiDigit(text[0]))
        {
            return text;
        }

        var plural = text[(text.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        if (plural.EndsWith(')') && plural.IndexOf('(', StringComparison.Ordinal) is var open and > 0)
        {
            return plural[(open + 1)..^1];
        }

        return Seeing.Classes.FirstOrDefault(c => Seeing.Plural(c) == plural) ?? plural;
    }
}
