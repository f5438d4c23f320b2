using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Processing;

/// <summary>Video and audio: ffprobe for the facts, ffmpeg for keyframe thumbnails and embedded subtitle tracks.</summary>
public sealed partial class MediaParser(ToolRunner tools, IOptions<ProcessingOptions> options)
{
    private static readonly HashSet<string> TextSubtitleCodecs = ["subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"];

    public async Task ParseAsync(string path, string thumbnailDir, ParseResult result, ParseBudget budget, CancellationToken ct)
    {
        var probe = await tools.RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], ct);
        if (probe.ExitCode != 0)
        {
            throw new ParseFailedException($"ffprobe cannot read the file: {probe.LastError()}");
        }

        using var json = JsonDocument.Parse(probe.Stdout);
        var root = json.RootElement;
        var streams = root.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => Str(x, "codec_type") == "video" && !IsAttachedPicture(x));
        var audio = streams.FirstOrDefault(x => Str(x, "codec_type") == "audio");
        if (video.ValueKind == JsonValueKind.Undefined && audio.ValueKind == JsonValueKind.Undefined)
        {
            throw new ParseFailedException("The file has no audio or video stream ffprobe can read.");
        }

        var format = root.GetProperty("format");
        result.Media.Kind = video.ValueKind == JsonValueKind.Undefined ? AssetKind.Audio : AssetKind.Video;
        result.Media.DurationSeconds = Num(format, "duration");
        result.Media.Bitrate = (long?)Num(format, "bit_rate");
        if (video.ValueKind != JsonValueKind.Undefined)
        {
            result.Media.VideoCodec = Str(video, "codec_name");
            result.Media.Width = (int?)Num(video, "width");
            result.Media.Height = (int?)Num(video, "height");
            result.Media.Fps = Rate(Str(video, "avg_frame_rate")) ?? Rate(Str(video, "r_frame_rate"));
            result.Media.Rotation = Rotation(video);
            result.Media.DurationSeconds ??= Num(video, "duration");
        }

        if (audio.ValueKind != JsonValueKind.Undefined)
        {
            result.Media.AudioCodec = Str(audio, "codec_name");
            result.Media.AudioChannels = (int?)Num(audio, "channels");
            result.Media.DurationSeconds ??= Num(audio, "duration");
        }

        if (result.Media.DurationSeconds is null)
        {
            throw new ParseFailedException("ffprobe found no duration: the container is incomplete or damaged.");
        }

        // Paid for its real length before thumbnails, subtitles and speech are worked out.
        await budget.CoverAsync(result.Media.Kind, result.Media.DurationSeconds, null, 0, ct);
        if (Str(format, "format_name")?.Contains("matroska", StringComparison.Ordinal) == true)
        {
            await CheckMatroskaEndAsync(path, result.Media.DurationSeconds.Value, ct);
        }

        if (result.Media.Kind == AssetKind.Video)
        {
            options.Value.CheckPixels(result.Media.Width, result.Media.Height, "video frame");
            await ThumbnailsAsync(path, thumbnailDir, result, ct);
        }

        var subtitle = streams.FirstOrDefault(x => Str(x, "codec_type") == "subtitle" && TextSubtitleCodecs.Contains(Str(x, "codec_name") ?? ""));
        if (subtitle.ValueKind != JsonValueKind.Undefined)
        {
            var index = ((int?)Num(subtitle, "index") ?? 0).ToString(CultureInfo.InvariantCulture);
            var srt = await tools.RunAsync("ffmpeg", ["-v", "error", "-nostdin", "-i", path, "-map", "0:" + index, "-f", "srt", "-"], ct);
            if (srt.ExitCode != 0)
            {
                throw new ParseFailedException($"ffmpeg cannot read the subtitle track: {srt.LastError()}");
            }

            result.Transcript.AddRange(Subtitles.Parse(srt.Stdout));
        }
    }

    /// <summary>
    /// A Matroska/WebM file cut short still probes with its header's duration, and ffmpeg decodes what is there
    /// without an error: only where its packets end tells. A demux-only pass (no decoding) reads their times.
    /// </summary>
    private async Task CheckMatroskaEndAsync(string path, double duration, CancellationToken ct)
    {
        var run = await tools.RunAsync("ffprobe", ["-v", "error", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path], ct);
        var end = 0.0;
        foreach (var line in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(',');
            if (double.TryParse(parts[0], CultureInfo.InvariantCulture, out var pts))
            {
                end = Math.Max(end, pts + (parts.Length > 1 && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d) ? d : 0));
            }
        }

        if (duration - end > Math.Max(0.5, duration * 0.05))
        {
            throw new ParseFailedException(string.Create(CultureInfo.InvariantCulture,
                $"The file is truncated: its header says {duration:0.##} s, but its media data ends at {end:0.##} s."));
        }
    }

    /// <summary>Keyframes at scene changes, at most one per interval; the first always, so every video has one.</summary>
    private async Task ThumbnailsAsync(string path, string dir, ParseResult result, CancellationToken ct)
    {
        var o = options.Value;
        var interval = o.ThumbnailIntervalSeconds.ToString(CultureInfo.InvariantCulture);
        var scene = o.SceneThreshold.ToString(CultureInfo.InvariantCulture);
        var filter = $"select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{interval})*gt(scene\\,{scene})',scale='min(320\\,iw)':-2,showinfo";
        var run = await tools.RunAsync("ffmpeg",
        [
            // Only keyframes are decoded: fast on long videos, and a keyframe is where a scene starts anyway.
            "-v", "info", "-nostats", "-nostdin", "-skip_frame", "nokey", "-i", path, "-an", "-sn", "-vf", filter, "-fps_mode", "passthrough",
            "-frames:v", o.MaxThumbnails.ToString(CultureInfo.InvariantCulture), "-q:v", "4", Path.Combine(dir, "%04d.jpg"),
        ], ct);
        if (run.ExitCode != 0)
        {
            throw new ParseFailedException($"ffmpeg cannot decode the video: {run.LastError()}");
        }

        // An MP4/MOV whose index (moov) is whole but whose data was cut off probes fine and decodes its first
        // keyframes; the demuxer says "partial file" when a sample lies past the end. It is truncated, not parsed.
        if (PartialFile().Match(run.Stderr) is { Success: true } partial)
        {
            throw new ParseFailedException($"The file is truncated: its media data ends before the samples its index lists ({partial.Value}).");
        }

        // Some containers start slightly before zero (Matroska with an encoder delay): the thumbnail is at 0.
        var times = ShowInfoTime().Matches(run.Stderr).Select(m => Math.Max(0, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
        for (var i = 0; i < times.Count; i++)
        {
            var name = (i + 1).ToString("0000", CultureInfo.InvariantCulture) + ".jpg";
            if (File.Exists(Path.Combine(dir, name)))
            {
                result.Thumbnails.Add((times[i], name));
            }
        }

        if (result.Thumbnails.Count == 0)
        {
            throw new ParseFailedException($"ffmpeg decoded no video frame: {run.LastError()}");
        }
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.GetInt32() == 1;

    private static int? Rotation(JsonElement video)
    {
        if (video.TryGetProperty("tags", out var tags) && Num(tags, "rotate") is { } rotate)
        {
            return (int)rotate;
        }

        if (video.TryGetProperty("side_data_list", out var sides))
        {
            foreach (var side in sides.EnumerateArray())
            {
                if (Num(side, "rotation") is { } rotation)
                {
                    return (int)rotation;
                }
            }
        }

        return null;
    }

    private static double? Rate(string? fraction)
    {
        var parts = fraction?.Split('/');
        if (parts is not { Length: 2 }
            || !double.TryParse(parts[0], CultureInfo.InvariantCulture, out var n)
            || !double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d) || d == 0 || n == 0)
        {
            return null;
        }

        return Math.Round(n / d, 3);
    }

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static double? Num(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    [GeneratedRegex(@"Parsed_showinfo.*?pts_time:\s*(-?[0-9.]+)")]
    private static partial Regex ShowInfoTime();

    [GeneratedRegex(@"stream \d+, offset 0x[0-9a-fA-F]+: partial file")]
    private static partial Regex PartialFile();
}
