namespace Mnemo.Server.Assets;

/// <summary>A supported format: what kind of asset it makes, its short name and its MIME type.</summary>
public sealed record FileFormat(AssetKind Kind, string Name, string MimeType)
{
    public static readonly FileFormat Mp4 = new(AssetKind.Video, "mp4", "video/mp4");
    public static readonly FileFormat Mov = new(AssetKind.Video, "mov", "video/quicktime");
    public static readonly FileFormat Avi = new(AssetKind.Video, "avi", "video/x-msvideo");
    public static readonly FileFormat WebM = new(AssetKind.Video, "webm", "video/webm");
    public static readonly FileFormat Mkv = new(AssetKind.Video, "mkv", "video/x-matroska");
    public static readonly FileFormat Flv = new(AssetKind.Video, "flv", "video/x-flv");
    public static readonly FileFormat Wmv = new(AssetKind.Video, "wmv", "video/x-ms-wmv");
    public static readonly FileFormat Mpeg = new(AssetKind.Video, "mpeg", "video/mpeg");
    public static readonly FileFormat Mp3 = new(AssetKind.Audio, "mp3", "audio/mpeg");
    public static readonly FileFormat Wav = new(AssetKind.Audio, "wav", "audio/wav");
    public static readonly FileFormat Aac = new(AssetKind.Audio, "aac", "audio/aac");
    public static readonly FileFormat Flac = new(AssetKind.Audio, "flac", "audio/flac");
    public static readonly FileFormat Ogg = new(AssetKind.Audio, "ogg", "audio/ogg");
    public static readonly FileFormat M4a = new(AssetKind.Audio, "m4a", "audio/mp4");
    public static readonly FileFormat Jpeg = new(AssetKind.Image, "jpeg", "image/jpeg");
    public static readonly FileFormat Png = new(AssetKind.Image, "png", "image/png");
    public static readonly FileFormat Gif = new(AssetKind.Image, "gif", "image/gif");
    public static readonly FileFormat WebP = new(AssetKind.Image, "webp", "image/webp");
    public static readonly FileFormat Bmp = new(AssetKind.Image, "bmp", "image/bmp");
    public static readonly FileFormat Tiff = new(AssetKind.Image, "tiff", "image/tiff");
    public static readonly FileFormat Pdf = new(AssetKind.Document, "pdf", "application/pdf");
    public static readonly FileFormat Docx = new(AssetKind.Document, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    public static readonly FileFormat Pptx = new(AssetKind.Document, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation");
    public static readonly FileFormat Xlsx = new(AssetKind.Document, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    public static readonly FileFormat Txt = new(AssetKind.Document, "txt", "text/plain");
    public static readonly FileFormat Markdown = new(AssetKind.Document, "md", "text/markdown");
    public static readonly FileFormat Html = new(AssetKind.Document, "html", "text/html");
    public static readonly FileFormat Srt = new(AssetKind.Document, "srt", "application/x-subrip");
    public static readonly FileFormat Vtt = new(AssetKind.Document, "vtt", "text/vtt");

    public static IReadOnlyList<FileFormat> All { get; } =
    [
        Mp4, Mov, Avi, WebM, Mkv, Flv, Wmv, Mpeg, Mp3, Wav, Aac, Flac, Ogg, M4a,
        Jpeg, Png, Gif, WebP, Bmp, Tiff, Pdf, Docx, Pptx, Xlsx, Txt, Markdown, Html, Srt, Vtt,
    ];

    public static FileFormat? ByName(string? name) => All.FirstOrDefault(f => f.Name == name);

    public bool IsSubtitle => this == Srt || this == Vtt;

    /// <summary>What a client-declared MIME type (memic files/init) stands for, before any byte is seen.</summary>
    public static FileFormat? ByMimeType(string? mime)
    {
        var bare = mime?.Split(';')[0].Trim().ToLowerInvariant();
        return bare switch
        {
            null or "" => null,
            "video/mpeg4" or "video/x-m4v" => Mp4,
            "video/avi" or "video/msvideo" => Avi,
            "audio/mp3" or "audio/mpeg3" => Mp3,
            "audio/x-wav" or "audio/wave" or "audio/vnd.wave" => Wav,
            "audio/x-flac" => Flac,
            "audio/x-m4a" or "audio/m4a" => M4a,
            "image/jpg" => Jpeg,
            "text/x-markdown" => Markdown,
            "text/srt" => Srt,
            _ => All.FirstOrDefault(f => f.MimeType == bare),
        };
    }
}
