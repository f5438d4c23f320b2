using System.Globalization;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>Media with speech (espeak-ng) and shown text (ffmpeg drawtext, DejaVu Sans), made once per test run.</summary>
public static class SpokenAndShownMedia
{
    public const string Font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Spoken by espeak-ng's Klatt voice, which pocketsphinx's US English model hears best (bench/speech).</summary>
    public const string Sentence = "we will meet at the train station tomorrow morning";

    /// <summary>Where the sentence starts in <see cref="SpeechVideo"/>.</summary>
    public const double SpeechStart = 2.0;

    /// <summary>6 s of test pattern; the sentence is spoken from 2 s on.</summary>
    public static string SpeechVideo => TestMedia.Make("understanding-speech.mp4", p =>
    {
        var wav = p + ".wav";
        TestMedia.Run("espeak-ng", "-v", "en-us+klatt", "-s", "140", "-w", wav, Sentence);
        TestMedia.Ffmpeg("-f", "lavfi", "-i", "testsrc=duration=6:size=320x240:rate=25", "-i", wav,
            "-af", "adelay=2000:all=1,apad", "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", p);
    });

    /// <summary>Black words on white, large: a screenshot of text.</summary>
    public static string TextImage => TestMedia.Make("understanding-notice.png", p => TestMedia.Ffmpeg(
        "-f", "lavfi", "-i", "color=white:size=900x300", "-vf", Draw("INVOICE PAID IN FULL", 64, 60, 110), "-frames:v", "1", p));

    /// <summary>6 s of plain blue, then from 6 s a white slide with a title; a keyframe every second.</summary>
    public static string SlideVideo => TestMedia.Make("understanding-slides.mp4", p => TestMedia.Ffmpeg(
        "-f", "lavfi", "-i", "color=blue:duration=6:size=640x360:rate=25",
        "-f", "lavfi", "-i", "color=white:duration=3:size=640x360:rate=25",
        "-filter_complex", $"[1]{Draw("QUARTERLY ROADMAP", 44, 30, 150)}[s];[0][s]concat=n=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", p));

    /// <summary>10 s of grey in one shot (one keyframe, at 0 s); a caption is shown from 3.5 s to 8.5 s.</summary>
    public static string MidShotCaption => TestMedia.Make("understanding-caption.mp4", p => TestMedia.Ffmpeg(
        "-f", "lavfi", "-i", "color=gray:duration=10:size=640x360:rate=25",
        "-vf", Draw("WAREHOUSE INVENTORY", 44, 30, 150) + ":enable='between(t,3.5,8.5)'",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "300", "-x264-params", "scenecut=0", "-pix_fmt", "yuv420p", p));

    /// <summary>10 s of test pattern with a tone.</summary>
    public static string TenSeconds => TestMedia.Make("understanding-ten.mp4", p => TestMedia.Ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=10:size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", p));

    /// <summary>4 s of test pattern, then 4 s of plain red: two scenes, cut at 4 s.</summary>
    public static string TwoScenes => TestMedia.Make("understanding-scenes.mp4", p => TestMedia.Ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=4:size=320x240:rate=25", "-f", "lavfi", "-i", "color=red:duration=4:size=320x240:rate=25",
        "-filter_complex", "[0][1]concat=n=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", p));

    /// <summary>A one-page PDF holding only a JPEG of black text on white: a scan, no text layer.</summary>
    public static string ScannedPdf => TestMedia.Make("understanding-scan.pdf", p =>
    {
        var jpeg = p + ".jpg";
        TestMedia.Ffmpeg("-f", "lavfi", "-i", "color=white:size=1240x800", "-vf", Draw("WAREHOUSE INVENTORY", 64, 80, 300), "-frames:v", "1", "-q:v", "2", jpeg);
        File.WriteAllBytes(p, PdfOfJpeg(File.ReadAllBytes(jpeg), 1240, 800));
    });

    public static double ProbeDuration(string path)
    {
        var output = TestMedia.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path);
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static byte[] PdfOfJpeg(byte[] jpeg, int width, int height)
    {
        var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Write(string text) => pdf.Write(System.Text.Encoding.ASCII.GetBytes(text));
        void Object(string body, byte[]? stream = null)
        {
            offsets.Add(pdf.Position);
            Write($"{offsets.Count} 0 obj\n{body}\n");
            if (stream is not null)
            {
                Write("stream\n");
                pdf.Write(stream);
                Write("\nendstream\n");
            }

            Write("endobj\n");
        }

        var draw = System.Text.Encoding.ASCII.GetBytes($"q {width / 2} 0 0 {height / 2} 0 0 cm /Im0 Do Q");
        Write("%PDF-1.4\n");
        Object("<< /Type /Catalog /Pages 2 0 R >>");
        Object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Object($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width / 2} {height / 2}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>");
        Object($"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {jpeg.Length} >>", jpeg);
        Object($"<< /Length {draw.Length} >>", draw);
        var xref = pdf.Position;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:0000000000} 00000 n \n");
        }

        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static string Draw(string text, int size, int x, int y) =>
        $"drawtext=fontfile={Font}:text='{text}':fontsize={size}:fontcolor=black:x={x}:y={y}";
}
