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

/// <summary>A face seen at <paramref name="AtSeconds"/> (null in an image), with faceres' description and a small JPEG of it.</summary>
public sealed record FaceShot(double? AtSeconds, SeenFace Face, byte[] Thumbnail);

/// <summary>
/// What is seen (the understanding step <c>vision</c>): pictures go through <see cref="VisionEngine"/>, objects at or
/// above <see cref="UnderstandingOptions.MinVisionScore"/> become spans of time (<see cref="Merge"/>); faces are counted, and
/// those clear enough to describe (<see cref="UnderstandingOptions.MinFaceScore"/>, <see cref="UnderstandingOptions.MinFaceSize"/>)
/// on a person (<see cref="OnAPerson"/>) are kept with their description and a thumbnail (<see cref="FaceShot"/>), for People.
/// </summary>
public sealed partial class Seeing(VisionEngine engine, ToolRunner tools, IOptions<UnderstandingOptions> options)
{
    /// <param name="LookedAt">The time of every picture looked at, in order (null for an image): what a face's moments are cut by.</param>
    public sealed record Seen(List<SeenSpan> Spans, int Pictures, int Faces, List<FaceShot> FaceShots, List<double?> LookedAt);

    public async Task<Seen> ImageAsync(string path, string workDir, CancellationToken ct)
    {
        var shots = new List<FaceShot>();
        var sight = await LookAsync(path, null, workDir, shots, ct);
        return new Seen(Merge([(null, sight)], null, options.Value.MinVisionScore), 1, sight.Faces.Count, shots, [null]);
    }

    /// <summary>The described faces of one picture (a reference photo), the largest first.</summary>
    public async Task<List<SeenFace>> FacesAsync(string path, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("mnemo-face-");
        try
        {
            var sight = await LookAsync(path, null, work.FullName, null, ct);
            var faces = sight.Faces.Where(f => f.Embedding is not null && f.Score >= options.Value.MinFaceScore).ToList();
            // A close-up may show no whole person: then any face will do.
            var onPeople = faces.Where(f => OnAPerson(f, sight.Objects, options.Value.MinVisionScore)).ToList();
            return [.. (onPeople.Count > 0 ? onPeople : faces).OrderByDescending(f => f.Box[2] * f.Box[3])];
        }
        finally
        {
            work.Delete(recursive: true);
        }
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
        var shots = new List<FaceShot>();
        foreach (var at in times)
        {
            frames.Add((at, await LookAsync(videoPath, at, workDir, shots, ct)));
        }

        return new Seen(Merge(frames, duration, options.Value.MinVisionScore), frames.Count, frames.Sum(f => f.Sight.Faces.Count), shots,
            [.. frames.Select(f => f.At)]);
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

    /// <summary>
    /// One picture as ffmpeg decodes it (a video's frame at <paramref name="at"/>), at most 800 px a side, as RGB; its
    /// described faces go to <paramref name="shots"/> with a thumbnail each.
    /// </summary>
    private async Task<Sight> LookAsync(string path, double? at, string workDir, List<FaceShot>? shots, CancellationToken ct)
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

        var sight = await engine.DetectAsync(ppm, ct);
        if (shots is not null)
        {
            var o = options.Value;
            var faces = sight.Faces.Where(f => f.Embedding is not null && f.Score >= o.MinFaceScore && Math.Min(f.Box[2], f.Box[3]) >= o.MinFaceSize
                && OnAPerson(f, sight.Objects, o.MinVisionScore)).ToList();
            var thumbnails = await ThumbnailsAsync(ppm, sight, faces, workDir, ct);
            shots.AddRange(faces.Select((f, i) => new FaceShot(at, f, thumbnails[i])));
        }

        return sight;
    }

    /// <summary>
    /// Whether the face's centre lies inside an object centernet calls a person. blazeface also fires on the faces of
    /// dogs, horses and eagles (Debian's darknet photos: 0.55–0.71), and faceres puts an eagle's as near a woman's as 0.6;
    /// on those photos and the faces of bench/vision/people.py every human face was on a person and no animal's was.
    /// </summary>
    public static bool OnAPerson(SeenFace face, IEnumerable<SeenObject> objects, double minScore)
    {
        var (cx, cy) = (face.Box[0] + face.Box[2] / 2.0, face.Box[1] + face.Box[3] / 2.0);
        return objects.Any(o => o.Class == "person" && o.Score >= minScore
            && cx >= o.Box[0] && cx <= o.Box[0] + o.Box[2] && cy >= o.Box[1] && cy <= o.Box[1] + o.Box[3]);
    }

    /// <summary>Each face cropped from the picture with a margin, at most 128 px a side, as JPEG: one ffmpeg run per picture.</summary>
    private async Task<byte[][]> ThumbnailsAsync(string ppm, Sight sight, List<SeenFace> faces, string workDir, CancellationToken ct)
    {
        if (faces.Count == 0)
        {
            return [];
        }

        var graph = new System.Text.StringBuilder(FormattableString.Invariant($"[0]split={faces.Count}"));
        graph.AppendJoin("", faces.Select((_, i) => $"[s{i}]")).Append(';');
        var outputs = new List<string>();
        for (var i = 0; i < faces.Count; i++)
        {
            var (x, y, w, h) = Margin(faces[i].Box, sight.Width, sight.Height);
            graph.Append(CultureInfo.InvariantCulture, $"[s{i}]crop={w}:{h}:{x}:{y},scale=w='min(128\\,iw)':h='min(128\\,ih)':force_original_aspect_ratio=decrease[f{i}];");
            outputs.AddRange(["-map", $"[f{i}]", "-q:v", "4", Path.Combine(workDir, $"face{i}.jpg")]);
        }

        var run = await tools.RunAsync("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", ppm, "-filter_complex", graph.ToString().TrimEnd(';'), .. outputs], ct);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg cannot crop the faces: {run.LastError()}");
        }

        return [.. await Task.WhenAll(faces.Select((_, i) => File.ReadAllBytesAsync(Path.Combine(workDir, $"face{i}.jpg"), ct)))];
    }

    /// <summary>The face's box grown by a fifth on each side, inside the picture (even sizes, as JPEG's chroma wants).</summary>
    public static (int X, int Y, int W, int H) Margin(int[] box, int width, int height)
    {
        var (mx, my) = (box[2] / 5, box[3] / 5);
        var x = Math.Max(0, box[0] - mx);
        var y = Math.Max(0, box[1] - my);
        var w = Math.Min(width > 0 ? width - x : int.MaxValue, box[2] + 2 * mx) & ~1;
        var h = Math.Min(height > 0 ? height - y : int.MaxValue, box[3] + 2 * my) & ~1;
        return (x, y, Math.Max(2, w), Math.Max(2, h));
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
