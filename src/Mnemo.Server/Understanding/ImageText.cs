using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Understanding;

/// <summary>
/// OCR with tesseract (eng): images, video keyframes (at their times) and scanned PDF pages. Pictures
/// are normalised by ffmpeg first (grey, small ones doubled), and words tesseract is unsure of are dropped.
/// </summary>
public sealed class ImageText(ToolRunner tools, IOptions<UnderstandingOptions> options)
{
    // tesseract parallelises with OpenMP; one thread per run keeps two runs within two cores.
    private static readonly Dictionary<string, string> OneThread = new() { ["OMP_THREAD_LIMIT"] = "1" };

    public async Task<List<TextPiece>> ImageAsync(string path, string workDir, CancellationToken ct)
    {
        var text = await ReadAsync(path, null, workDir, "image", ct);
        return text.Length == 0 ? [] : [new TextPiece(text, null, 0)];
    }

    /// <summary>The frames at these times (see <see cref="FrameTimes"/>); a text shown on several frames in a row is kept once.</summary>
    public async Task<List<TextPiece>> FramesAsync(string videoPath, IReadOnlyList<double> times, string workDir, CancellationToken ct)
    {
        var pieces = new List<TextPiece>();
        string? previous = null;
        foreach (var at in times)
        {
            var text = await ReadAsync(videoPath, at, workDir, "frame", ct);
            if (text.Length > 0 && text != previous)
            {
                pieces.Add(new TextPiece(text, null, 0, at));
            }

            previous = text;
        }

        return pieces;
    }

    /// <summary>
    /// Which frames of a video OCR reads: its keyframes at scene changes and a frame every <paramref name="interval"/>
    /// seconds, in time order, none closer than a second to the one before; when that is more than
    /// <paramref name="max"/>, the grid widens and then every n-th is taken, so the whole video is covered.
    /// </summary>
    public static List<double> FrameTimes(IEnumerable<double> keyframes, double? duration, double interval, int max)
    {
        var length = duration ?? 0;
        var step = interval <= 0 ? double.PositiveInfinity : Math.Max(interval, length / Math.Max(1, max));
        var grid = double.IsInfinity(step) ? [] : Enumerable.Range(0, (int)Math.Ceiling(length / step)).Select(i => i * step);
        var times = new List<double>();
        foreach (var at in keyframes.Concat(grid).Order())
        {
            if (times.Count == 0 || at - times[^1] >= 1)
            {
                times.Add(at);
            }
        }

        var every = (int)Math.Ceiling(times.Count / (double)Math.Max(1, max));
        return every <= 1 ? times : [.. times.Where((_, i) => i % every == 0)];
    }

    /// <summary>Scanned pages (no text layer): each rendered at 150 dpi by pdftoppm, then read.</summary>
    public async Task<List<TextPiece>> PdfPagesAsync(string pdfPath, IReadOnlyList<int> pages, string workDir, CancellationToken ct)
    {
        var pieces = new List<TextPiece>();
        foreach (var page in pages.Take(options.Value.MaxOcrPages))
        {
            var number = page.ToString(CultureInfo.InvariantCulture);
            var prefix = Path.Combine(workDir, "page");
            var render = await tools.RunAsync("pdftoppm", ["-r", "150", "-png", "-f", number, "-l", number, "-singlefile", pdfPath, prefix], ct);
            if (render.ExitCode != 0)
            {
                throw new InvalidOperationException($"pdftoppm cannot render page {page}: {render.LastError()}");
            }

            var text = await TesseractAsync(prefix + ".png", ct);
            if (text.Length > 0)
            {
                pieces.Add(new TextPiece(text, page, 0));
            }
        }

        return pieces;
    }

    private async Task<string> ReadAsync(string path, double? at, string workDir, string name, CancellationToken ct)
    {
        var png = Path.Combine(workDir, name + ".png");
        var seek = at is { } t ? new[] { "-ss", t.ToString("0.###", CultureInfo.InvariantCulture) } : [];
        var convert = await tools.RunAsync("ffmpeg",
        [
            "-v", "error", "-nostdin", "-y", .. seek, "-i", path, "-frames:v", "1", "-an", "-sn",
            "-vf", "scale='if(lt(iw\\,1000)\\,iw*2\\,min(iw\\,3000))':-2:flags=bicubic,format=gray", png,
        ], ct);
        if (convert.ExitCode != 0 || !File.Exists(png))
        {
            throw new InvalidOperationException($"ffmpeg cannot decode the picture: {convert.LastError()}");
        }

        return await TesseractAsync(png, ct);
    }

    private async Task<string> TesseractAsync(string png, CancellationToken ct)
    {
        var run = await tools.RunAsync("tesseract", [png, "stdout", "-l", "eng", "tsv"], ct, OneThread);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"tesseract failed: {run.LastError()}");
        }

        return FromTsv(run.Stdout, options.Value.MinOcrConfidence);
    }

    /// <summary>tesseract's TSV (one row per word: block, paragraph, line, confidence, text) as lines of confident words.</summary>
    public static string FromTsv(string tsv, double minConfidence)
    {
        var text = new StringBuilder();
        var lastLine = "";
        var letters = 0;
        foreach (var row in tsv.Split('\n').Skip(1))
        {
            var f = row.TrimEnd('\r').Split('\t');
            if (f.Length < 12 || f[0] != "5" || !double.TryParse(f[10], CultureInfo.InvariantCulture, out var confidence)
                || confidence < minConfidence || !f[11].Any(char.IsLetterOrDigit))
            {
                continue;
            }

            var line = $"{f[2]}.{f[3]}.{f[4]}";
            if (text.Length > 0)
            {
                text.Append(line == lastLine ? ' ' : '\n');
            }

            lastLine = line;
            text.Append(f[11].Trim());
            letters += f[11].Count(char.IsLetterOrDigit);
        }

        return letters < 3 ? "" : text.ToString();
    }
}
