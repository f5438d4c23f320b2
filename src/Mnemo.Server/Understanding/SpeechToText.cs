using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Understanding;

/// <summary>Any audio track to transcript segments: ffmpeg to 16 kHz mono WAV, the engine, then words grouped at pauses.</summary>
public sealed class SpeechToText(ToolRunner tools, ISpeechEngine engine, IOptions<UnderstandingOptions> options)
{
    public string EngineName => engine.Name;

    public async Task<List<TranscriptSegment>> TranscribeAsync(string mediaPath, string workDir, CancellationToken ct)
    {
        var wav = Path.Combine(workDir, "speech.wav");
        var convert = await tools.RunAsync("ffmpeg",
            ["-v", "error", "-nostdin", "-y", "-i", mediaPath, "-map", "0:a:0", "-vn", "-sn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav], ct);
        if (convert.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg cannot decode the audio track: {convert.LastError()}");
        }

        var words = await engine.RecognizeAsync(wav, ct);
        return Segments(words, options.Value.SegmentPauseSeconds, options.Value.SegmentMaxSeconds);
    }

    /// <summary>Words into segments: a new one after a pause, or when the current one is long enough.</summary>
    public static List<TranscriptSegment> Segments(IReadOnlyList<SpokenWord> words, double pause, double maxSeconds)
    {
        var segments = new List<TranscriptSegment>();
        var current = new List<SpokenWord>();
        void Flush()
        {
            if (current.Count > 0)
            {
                segments.Add(new TranscriptSegment(string.Join(' ', current.Select(w => w.Word)), current[0].StartSeconds, current[^1].EndSeconds));
                current.Clear();
            }
        }

        foreach (var word in words)
        {
            if (current.Count > 0 && (word.StartSeconds - current[^1].EndSeconds > pause || word.EndSeconds - current[0].StartSeconds > maxSeconds))
            {
                Flush();
            }

            current.Add(word);
        }

        Flush();
        return segments;
    }
}
