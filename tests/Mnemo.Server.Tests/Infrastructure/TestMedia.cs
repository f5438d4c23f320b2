using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>Real media made by ffmpeg (and documents written by code), once per test run, small and short.</summary>
public static class TestMedia
{
    private static readonly string[] SheetRow = ["Species", "Wombat"];

    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "mnemo-test-media", Environment.ProcessId.ToString());

    static TestMedia()
    {
        // Earlier runs' media, left by test processes that have ended.
        var parent = Path.GetDirectoryName(Dir)!;
        foreach (var old in Directory.Exists(parent) ? Directory.GetDirectories(parent) : [])
        {
            if (int.TryParse(Path.GetFileName(old), out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(old, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
    private static readonly ConcurrentDictionary<string, Lazy<string>> Made = new();

    public const string SubtitleText = "1\n00:00:00,500 --> 00:00:01,500\nHello from the subtitle track\n\n2\n00:00:01,800 --> 00:00:02,700\nSecond line here\n";

    /// <summary>3 s H.264/AAC 320x240 MP4 with a mov_text subtitle track.</summary>
    public static string Mp4WithSubtitles => Make("video.mp4", p => Ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
        "-i", Srt, "-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-c:s", "mov_text", p));

    /// <summary>6 s of test pattern, then 6 s of plain red: one scene change, at 6 s; a keyframe every second.</summary>
    public static string TwoScenes => Make("scenes.mp4", p => Ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=6:size=320x240:rate=25", "-f", "lavfi", "-i", "color=red:duration=6:size=320x240:rate=25",
        "-filter_complex", "[0][1]concat=n=2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", p));

    public static string Mkv => Make("video.mkv", p => Ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25", "-i", Srt,
        "-map", "0:v", "-map", "1:s", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:s", "srt", p));

    public static string WebM => Make("video.webm", p => Ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=15", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", p));

    public static string Wav => Make("audio.wav", p => Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", p));

    public static string Mp3 => Make("audio.mp3", p => Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libmp3lame", p));

    public static string Png => Make("image.png", p => Ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1", p));

    /// <summary>A JPEG with an EXIF APP1 segment: camera, original date and GPS, written by hand.</summary>
    public static string JpegWithExif => Make("photo.jpg", p =>
    {
        var plain = p + ".plain.jpg";
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120", "-frames:v", "1", plain);
        var jpeg = File.ReadAllBytes(plain);
        var app1 = Exif.App1("Mnemo", "TestCam 1", "2024:05:06 07:08:09", 48.8583, 2.2945);
        File.WriteAllBytes(p, [.. jpeg[..2], .. app1, .. jpeg[2..]]);
    });

    /// <summary>The MP4 cut in half: its moov atom (at the end) is gone.</summary>
    public static string TruncatedMp4 => Make("truncated.mp4", p =>
    {
        var plain = p + ".full.mp4";
        Ffmpeg("-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", plain);
        var bytes = File.ReadAllBytes(plain);
        File.WriteAllBytes(p, bytes[..(bytes.Length / 2)]);
    });

    /// <summary>A 6 s WebM (VP9) cut after 40 % of its bytes: its header still says 6 s.</summary>
    public static string TruncatedWebM => Make("cut-short.webm", p =>
    {
        var plain = p + ".full.webm";
        Ffmpeg("-f", "lavfi", "-i", "testsrc=duration=6:size=320x240:rate=15", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", plain);
        var bytes = File.ReadAllBytes(plain);
        File.WriteAllBytes(p, bytes[..(bytes.Length * 4 / 10)]);
    });

    /// <summary>An MP4 with its moov atom first (faststart), cut after 60 % of its bytes: it probes, but its data ends early.</summary>
    public static string TruncatedFaststartMp4 => Make("cut-short.mp4", p =>
    {
        var plain = p + ".full.mp4";
        Ffmpeg("-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", plain);
        var bytes = File.ReadAllBytes(plain);
        File.WriteAllBytes(p, bytes[..(bytes.Length * 6 / 10)]);
    });

    public static string TextNamedMp4 => Make("notes.mp4", p => File.WriteAllText(p, "This is plain text, not a video at all.\n"));

    public static string Srt => Make("subs.srt", p => File.WriteAllText(p, SubtitleText));

    public static string Pdf => Make("doc.pdf", p => File.WriteAllBytes(p, TinyPdf("First page about llamas", "Second page about alpacas")));

    public static string Docx => Make("doc.docx", p =>
    {
        using var doc = WordprocessingDocument.Create(p, WordprocessingDocumentType.Document);
        var main = doc.AddMainDocumentPart();
        main.Document = new Document(new Body(
            new Paragraph(new Run(new Text("Quarterly report on capybaras"))),
            new Paragraph(new Run(new Text("They are the largest rodents.")))));
        main.Document.Save();
    });

    public static string Xlsx => Make("sheet.xlsx", p =>
    {
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Create(p, SpreadsheetDocumentType.Workbook);
        var workbook = doc.AddWorkbookPart();
        workbook.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var row = new DocumentFormat.OpenXml.Spreadsheet.Row();
        foreach (var text in SheetRow)
        {
            row.Append(new DocumentFormat.OpenXml.Spreadsheet.Cell
            {
                DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString,
                InlineString = new DocumentFormat.OpenXml.Spreadsheet.InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text)),
            });
        }

        sheetPart.Worksheet = new DocumentFormat.OpenXml.Spreadsheet.Worksheet(new DocumentFormat.OpenXml.Spreadsheet.SheetData(row));
        var sheets = workbook.Workbook.AppendChild(new DocumentFormat.OpenXml.Spreadsheet.Sheets());
        sheets.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Animals" });
        workbook.Workbook.Save();
    });

    /// <summary>Makes a file once per test run (by name) and returns its path.</summary>
    internal static string Make(string name, Action<string> make) => Made.GetOrAdd(name, n => new Lazy<string>(() =>
    {
        Directory.CreateDirectory(Dir);
        var path = Path.Combine(Dir, n);
        make(path);
        return path;
    })).Value;

    internal static void Ffmpeg(params string[] args) => Run("ffmpeg", ["-v", "error", "-nostdin", "-y", .. args]);

    /// <summary>Runs a tool that must succeed; returns its stdout.</summary>
    internal static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, stderr.Result);
        return stdout;
    }

    /// <summary>A two-page PDF written as text, with exact xref offsets.</summary>
    public static byte[] TinyPdf(params string[] pages)
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(" ", pages.Select((_, i) => $"{4 + (2 * i)} 0 R"))}] /Count {pages.Length} >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        foreach (var text in pages)
        {
            var stream = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {objects.Count + 2} 0 R >>");
            objects.Add($"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream");
        }

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }

        pdf.Append($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
