using System.IO.Compression;
using System.Text;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Assets;

/// <summary>
/// The format comes from the bytes: magic numbers first (<see cref="Sniff"/>, on the first block, so the
/// right size limit applies while streaming), then the whole file (zip parts, text) and, when no magic
/// number matched, ffprobe. The file name only tells text formats apart and never overrides the bytes.
/// </summary>
public sealed partial class FormatDetector(ToolRunner tools)
{
    public const int SniffBytes = 64 * 1024;

    private static readonly string[] TextExtensions = ["", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".srt", ".vtt", ".csv", ".log"];

    public static FileFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4)
        {
            return null;
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(head[8..12]);
            return brand switch
            {
                "qt  " => FileFormat.Mov,
                "M4A " or "M4B " => FileFormat.M4a,
                _ => FileFormat.Mp4,
            };
        }

        if (head.Length >= 8 && (head[4..8].SequenceEqual("moov"u8) || head[4..8].SequenceEqual("wide"u8) || head[4..8].SequenceEqual("mdat"u8)))
        {
            return FileFormat.Mov;
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8))
        {
            var form = head[8..12];
            return form.SequenceEqual("AVI "u8) ? FileFormat.Avi
                : form.SequenceEqual("WAVE"u8) ? FileFormat.Wav
                : form.SequenceEqual("WEBP"u8) ? FileFormat.WebP
                : null;
        }

        if (head[..4].SequenceEqual((byte[])[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return head.IndexOf("webm"u8) is >= 0 and < 64 ? FileFormat.WebM : FileFormat.Mkv;
        }

        if (head[..3].SequenceEqual("FLV"u8))
        {
            return FileFormat.Flv;
        }

        if (head.Length >= 8 && head[..8].SequenceEqual((byte[])[0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]))
        {
            return FileFormat.Wmv;
        }

        if (head[..4].SequenceEqual((byte[])[0, 0, 1, 0xBA]) || head[..4].SequenceEqual((byte[])[0, 0, 1, 0xB3])
            || (head.Length > 376 && head[0] == 0x47 && head[188] == 0x47 && head[376] == 0x47))
        {
            return FileFormat.Mpeg;
        }

        if (head[..3].SequenceEqual("ID3"u8))
        {
            return FileFormat.Mp3;
        }

        if (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            // MPEG audio sync: layer bits 00 are AAC in ADTS framing, anything else MPEG-1/2 audio.
            return (head[1] & 0x06) == 0 ? FileFormat.Aac : FileFormat.Mp3;
        }

        if (head[..4].SequenceEqual("fLaC"u8))
        {
            return FileFormat.Flac;
        }

        if (head[..4].SequenceEqual("OggS"u8))
        {
            return FileFormat.Ogg;
        }

        if (head[..3].SequenceEqual((byte[])[0xFF, 0xD8, 0xFF]))
        {
            return FileFormat.Jpeg;
        }

        if (head[..4].SequenceEqual((byte[])[0x89, 0x50, 0x4E, 0x47]))
        {
            return FileFormat.Png;
        }

        if (head[..4].SequenceEqual("GIF8"u8))
        {
            return FileFormat.Gif;
        }

        // "BM" alone starts plenty of text; a real bitmap has a known DIB header size at byte 14.
        if (head.Length >= 18 && head[..2].SequenceEqual("BM"u8) && head[14] is 12 or 40 or 52 or 56 or 64 or 108 or 124 && head[15..18].IndexOfAnyExcept((byte)0) < 0)
        {
            return FileFormat.Bmp;
        }

        if (head[..4].SequenceEqual("II*\0"u8) || head[..4].SequenceEqual("MM\0*"u8))
        {
            return FileFormat.Tiff;
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return FileFormat.Pdf;
        }

        // A zip is an Office document only once its parts are seen; it gets the document limit meanwhile.
        if (head[..4].SequenceEqual("PK\x03\x04"u8))
        {
            return FileFormat.Docx;
        }

        return null;
    }

    /// <summary>Most entries an Office file's listing may have at upload; the parse enforces the configured limit.</summary>
    public const int ListingCap = 10_000;

    /// <summary>The final word on a whole file: null when the format is not supported.</summary>
    public async Task<FileFormat?> DetectAsync(string path, string fileName, FileFormat? sniffed, CancellationToken ct)
    {
        if (sniffed is { Kind: AssetKind.Document, Name: "docx" })
        {
            return OfficeFormat(path);
        }

        if (sniffed is not null)
        {
            return sniffed;
        }

        var text = await TextFormatAsync(path, fileName, ct);
        return text ?? await ProbeAsync(path, ct);
    }

    private static FileFormat? OfficeFormat(string path)
    {
        try
        {
            // Listing millions of entries costs memory at upload time; such a file is taken as the document it
            // claims to be and judged by the parse, whose configured entry limit is then its cause.
            if (ZipDirectory.DeclaredEntryCount(path) > ListingCap)
            {
                return FileFormat.Docx;
            }

            using var zip = ZipFile.OpenRead(path);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            return names.Contains("word/document.xml") ? FileFormat.Docx
                : names.Contains("ppt/presentation.xml") ? FileFormat.Pptx
                : names.Contains("xl/workbook.xml") ? FileFormat.Xlsx
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static async Task<FileFormat?> TextFormatAsync(string path, string fileName, CancellationToken ct)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!TextExtensions.Contains(extension))
        {
            return null; // text named like a media file: its name lies, so it is not accepted
        }

        var head = new byte[SniffBytes];
        int read;
        await using (var stream = File.OpenRead(path))
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        }

        if (read == 0 || !LooksLikeText(head.AsSpan(0, read)))
        {
            return null;
        }

        var start = Encoding.UTF8.GetString(head, 0, Math.Min(read, 4096)).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (start.StartsWith("WEBVTT", StringComparison.Ordinal))
        {
            return FileFormat.Vtt;
        }

        if (SrtStart().IsMatch(start))
        {
            return FileFormat.Srt;
        }

        if (start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || extension is ".html" or ".htm")
        {
            return FileFormat.Html;
        }

        return extension is ".md" or ".markdown" ? FileFormat.Markdown : FileFormat.Txt;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0))
        {
            return false;
        }

        // A multi-byte character may be cut at the end of the block; allow for that.
        var cut = Math.Min(bytes.Length, 3);
        for (var trim = 0; trim <= cut; trim++)
        {
            if (Utf8.IsValid(bytes[..^trim]))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<FileFormat?> ProbeAsync(string path, CancellationToken ct)
    {
        var result = await tools.RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=format_name", "-of", "default=nw=1:nk=1", path], ct);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var names = result.Stdout.Trim().Split(',');
        return names.FirstOrDefault() switch
        {
            "mov" => FileFormat.Mov,
            "matroska" => FileFormat.Mkv,
            "avi" => FileFormat.Avi,
            "flv" => FileFormat.Flv,
            "asf" => FileFormat.Wmv,
            "mpeg" or "mpegts" or "mpegvideo" => FileFormat.Mpeg,
            "mp3" => FileFormat.Mp3,
            "wav" => FileFormat.Wav,
            "aac" => FileFormat.Aac,
            "flac" => FileFormat.Flac,
            "ogg" => FileFormat.Ogg,
            _ => null,
        };
    }

    [GeneratedRegex(@"^\d+\s*\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->")]
    private static partial Regex SrtStart();
}
