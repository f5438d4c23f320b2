using System.Text.Json;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Processing;

/// <summary>Images: dimensions from ffprobe, EXIF date, camera and GPS via MetadataExtractor, a thumbnail via ffmpeg.</summary>
public sealed class ImageParser(ToolRunner tools, Microsoft.Extensions.Options.IOptions<ProcessingOptions> options)
{
    public async Task ParseAsync(string path, string thumbnailDir, ParseResult result, CancellationToken ct)
    {
        result.Media.Kind = AssetKind.Image;
        var probe = await tools.RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", path], ct);
        if (probe.ExitCode != 0)
        {
            throw new ParseFailedException($"ffprobe cannot read the image: {probe.LastError()}");
        }

        using (var json = JsonDocument.Parse(probe.Stdout))
        {
            var stream = json.RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().FirstOrDefault() : default;
            if (stream.ValueKind == JsonValueKind.Undefined)
            {
                throw new ParseFailedException("ffprobe found no image in the file.");
            }

            result.Media.Width = (int?)MediaParser.Num(stream, "width");
            result.Media.Height = (int?)MediaParser.Num(stream, "height");
        }

        options.Value.CheckPixels(result.Media.Width, result.Media.Height, "image");

        ReadExif(path, result);
        var thumb = await tools.RunAsync("ffmpeg",
            ["-v", "error", "-nostdin", "-i", path, "-vf", "scale='min(320,iw)':-2", "-frames:v", "1", "-q:v", "4", "-y", Path.Combine(thumbnailDir, "0001.jpg")], ct);
        if (thumb.ExitCode != 0)
        {
            throw new ParseFailedException($"ffmpeg cannot decode the image: {thumb.LastError()}");
        }

        result.Thumbnails.Add((0, "0001.jpg"));
    }

    private static void ReadExif(string path, ParseResult result)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            directories = ImageMetadataReader.ReadMetadata(path);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return; // unreadable metadata is not a parse failure: the pixels decoded
        }

        var sub = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        if (sub is not null && sub.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var taken))
        {
            result.Media.TakenAt = DateTime.SpecifyKind(taken, DateTimeKind.Utc);
        }
        else if (ifd0 is not null && ifd0.TryGetDateTime(ExifDirectoryBase.TagDateTime, out var changed))
        {
            result.Media.TakenAt = DateTime.SpecifyKind(changed, DateTimeKind.Utc);
        }

        var make = ifd0?.GetDescription(ExifDirectoryBase.TagMake)?.Trim();
        var model = ifd0?.GetDescription(ExifDirectoryBase.TagModel)?.Trim();
        if (!string.IsNullOrEmpty(model))
        {
            result.Media.CameraModel = !string.IsNullOrEmpty(make) && !model.StartsWith(make, StringComparison.OrdinalIgnoreCase) ? $"{make} {model}" : model;
        }

        var location = directories.OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation();
        if (location is { IsZero: false } geo)
        {
            result.Media.Latitude = Math.Round(geo.Latitude, 7);
            result.Media.Longitude = Math.Round(geo.Longitude, 7);
        }
    }
}
