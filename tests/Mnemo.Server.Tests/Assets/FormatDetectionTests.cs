using System.Diagnostics;
using System.IO.Compression;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

public sealed class FormatDetectionTests : IDisposable
{
    private static readonly string[] FfmpegQuiet = ["-v", "error", "-nostdin", "-y"];

    private readonly string dir = Directory.CreateTempSubdirectory("mnemo-formats-").FullName;
    private readonly FormatDetector detector = new(
        new ToolRunner(Options.Create(new ToolOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<ToolRunner>.Instance));

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("x.mov", "mov", "-f lavfi -i testsrc=d=1:s=64x48 -c:v mpeg4")]
    [InlineData("x.avi", "avi", "-f lavfi -i testsrc=d=1:s=64x48 -c:v mpeg4")]
    [InlineData("x.flv", "flv", "-f lavfi -i testsrc=d=1:s=64x48 -c:v flv")]
    [InlineData("x.wmv", "wmv", "-f lavfi -i testsrc=d=1:s=64x48 -c:v wmv2")]
    [InlineData("x.mpg", "mpeg", "-f lavfi -i testsrc=d=1:s=64x48 -c:v mpeg1video")]
    [InlineData("x.ts", "mpeg", "-f lavfi -i testsrc=d=1:s=64x48 -c:v mpeg2video")]
    [InlineData("x.aac", "aac", "-f lavfi -i sine=d=1 -c:a aac")]
    [InlineData("x.flac", "flac", "-f lavfi -i sine=d=1")]
    [InlineData("x.ogg", "ogg", "-f lavfi -i sine=d=1")]
    [InlineData("x.m4a", "m4a", "-f lavfi -i sine=d=1 -c:a aac")]
    [InlineData("x.gif", "gif", "-f lavfi -i testsrc=s=64x48 -frames:v 1")]
    [InlineData("x.webp", "webp", "-f lavfi -i testsrc=s=64x48 -frames:v 1")]
    [InlineData("x.bmp", "bmp", "-f lavfi -i testsrc=s=64x48 -frames:v 1")]
    [InlineData("x.tiff", "tiff", "-f lavfi -i testsrc=s=64x48 -frames:v 1")]
    public async Task MediaFormatsAreRecognisedFromTheirBytes(string name, string expected, string ffmpegArgs)
    {
        var path = Path.Combine(dir, name);
        Ffmpeg([.. ffmpegArgs.Split(' '), path]);
        var renamed = Path.Combine(dir, "upload.bin");
        File.Move(path, renamed);
        (await DetectAsync(renamed, "upload.bin")).ShouldBe(expected);
    }

    [Theory]
    [InlineData("notes.txt", "Just some notes.\nMore notes.", "txt")]
    [InlineData("readme.md", "# Title\n\nSome *markdown*.", "md")]
    [InlineData("page.html", "<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html")]
    [InlineData("page.txt", "<html><body>Hi</body></html>", "html")]
    [InlineData("subs.vtt", "WEBVTT\n\n00:00.500 --> 00:01.500\nHello", "vtt")]
    [InlineData("subs.txt", TestMedia.SubtitleText, "srt")]
    [InlineData("notes.mp4", "Plain text pretending to be a video.", null)]
    [InlineData("notes.pdf", "Plain text pretending to be a PDF.", null)]
    [InlineData("bmw.txt", "BMW cars and more text that is not a bitmap at all.", "txt")]
    public async Task TextFormatsComeFromContentAndANameNeverMakesTextMedia(string name, string text, string? expected)
    {
        var path = Path.Combine(dir, name);
        await File.WriteAllTextAsync(path, text);
        (await DetectAsync(path, name)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("word/document.xml", "docx")]
    [InlineData("ppt/presentation.xml", "pptx")]
    [InlineData("xl/workbook.xml", "xlsx")]
    [InlineData("something/else.xml", null)]
    public async Task ZipsAreOfficeDocumentsOnlyByTheirParts(string entry, string? expected)
    {
        var path = Path.Combine(dir, "file.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            zip.CreateEntry(entry);
        }

        (await DetectAsync(path, "file.zip")).ShouldBe(expected);
    }

    [Fact]
    public async Task RandomBytesAreNotAFormat()
    {
        var path = Path.Combine(dir, "noise.mp4");
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251))]);
        (await DetectAsync(path, "noise.mp4")).ShouldBeNull();
    }

    private async Task<string?> DetectAsync(string path, string fileName)
    {
        var head = new byte[FormatDetector.SniffBytes];
        int read;
        await using (var stream = File.OpenRead(path))
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false);
        }

        return (await detector.DetectAsync(path, fileName, FormatDetector.Sniff(head.AsSpan(0, read)), CancellationToken.None))?.Name;
    }

    private static void Ffmpeg(string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in FfmpegQuiet.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, stderr);
    }
}
