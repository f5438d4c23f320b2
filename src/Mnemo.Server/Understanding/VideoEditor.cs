using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Understanding;

/// <summary>ffmpeg for video tasks: scene cuts (the scene score of every frame), and cutting a video into files at given times.</summary>
public sealed partial class VideoEditor(ToolRunner tools, IOptions<UnderstandingOptions> options)
{
    /// <summary>The times where a new scene starts (0 excluded), at least <see cref="UnderstandingOptions.MinSceneSeconds"/> apart.</summary>
    public async Task<List<double>> SceneCutsAsync(string path, double duration, CancellationToken ct)
    {
        var o = options.Value;
        var threshold = o.SceneThreshold.ToString(CultureInfo.InvariantCulture);
        var run = await tools.RunAsync("ffmpeg",
        [
            // Scores on a small copy of each frame: as good at telling scenes apart, several times faster.
            "-v", "info", "-nostats", "-nostdin", "-threads", "1", "-i", path, "-an", "-sn", "-dn",
            "-vf", $"scale=320:-2,select='gt(scene\\,{threshold})',showinfo", "-f", "null", "-",
        ], ct);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg cannot decode the video: {run.LastError()}");
        }

        var cuts = new List<double>();
        foreach (Match m in ShowInfoTime().Matches(run.Stderr))
        {
            var t = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (t - (cuts.Count > 0 ? cuts[^1] : 0) >= o.MinSceneSeconds && duration - t >= o.MinSceneSeconds)
            {
                cuts.Add(Math.Round(t, 3));
            }
        }

        return cuts;
    }

    /// <summary>
    /// Cuts the video at <paramref name="cuts"/> into MP4 files (H.264/AAC, re-encoded so every file starts
    /// exactly at its cut with a keyframe). Returns the files in order with their place in the source.
    /// </summary>
    public async Task<List<VideoClip>> CutAsync(string path, IReadOnlyList<double> cuts, string outDir, CancellationToken ct)
    {
        Directory.CreateDirectory(outDir);
        var times = string.Join(',', cuts.Select(c => c.ToString("0.###", CultureInfo.InvariantCulture)));
        string[] segmenting = cuts.Count == 0
            ? ["-segment_time", "1000000"]
            : ["-force_key_frames", times, "-segment_times", times];
        var run = await tools.RunAsync("ffmpeg",
        [
            "-v", "error", "-nostdin", "-y", "-i", path, "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-threads", "1",
            "-c:a", "aac", "-b:a", "128k", .. segmenting,
            "-f", "segment", "-reset_timestamps", "1", "-segment_format", "mp4", "-segment_format_options", "movflags=+faststart",
            Path.Combine(outDir, "%04d.mp4"),
        ], ct);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg cannot cut the video: {run.LastError()}");
        }

        var clips = new List<VideoClip>();
        var files = Directory.GetFiles(outDir, "*.mp4").Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var start = i == 0 ? 0 : i - 1 < cuts.Count ? cuts[i - 1] : clips[^1].EndSeconds;
            var length = await DurationAsync(files[i], ct);
            clips.Add(new VideoClip(i, start, Math.Round(start + length, 3), Path.GetFileName(files[i]), new FileInfo(files[i]).Length));
        }

        return clips;
    }

    private async Task<double> DurationAsync(string file, CancellationToken ct)
    {
        var probe = await tools.RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], ct);
        return double.TryParse(probe.Stdout.Trim(), CultureInfo.InvariantCulture, out var d) ? d : 0;
    }

    [GeneratedRegex(@"Parsed_showinfo.*?pts_time:\s*(-?[0-9.]+)")]
    private static partial Regex ShowInfoTime();
}
