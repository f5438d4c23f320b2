using System.Globalization;
using System.Text.RegularExpressions;
using Mnemo.Server.Assets;

namespace Mnemo.Server.Processing;

/// <summary>SRT and WebVTT cues as transcript segments (ffmpeg turns embedded text tracks into SRT).</summary>
public static partial class Subtitles
{
    [GeneratedRegex(@"(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})")]
    private static partial Regex Timing();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    public static List<TranscriptSegment> Parse(string text)
    {
        var segments = new List<TranscriptSegment>();
        var blocks = text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        foreach (var block in blocks)
        {
            var lines = block.Split('\n');
            var timingLine = Array.FindIndex(lines, l => Timing().IsMatch(l));
            if (timingLine < 0)
            {
                continue;
            }

            var match = Timing().Match(lines[timingLine]);
            var content = string.Join(" ", lines.Skip(timingLine + 1).Select(l => Tags().Replace(l, "").Trim()).Where(l => l.Length > 0));
            if (content.Length == 0)
            {
                continue;
            }

            segments.Add(new TranscriptSegment(content, Seconds(match, 1), Seconds(match, 5)));
        }

        return segments;
    }

    private static double Seconds(Match m, int first)
    {
        int Part(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        return (Part(first) * 3600) + (Part(first + 1) * 60) + Part(first + 2) + (Part(first + 3) / 1000.0);
    }
}
