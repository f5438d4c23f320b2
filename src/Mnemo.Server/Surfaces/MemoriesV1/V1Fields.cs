using System.Globalization;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>The optional upload fields of v1 (upload, upload_url), validated once.</summary>
public static class V1Fields
{
    /// <summary>unique_id, or folder_id on the v1.1 alias paths; "default" when neither is given.</summary>
    public static string Namespace(string? uniqueId, string? folderId) =>
        (uniqueId ?? folderId) is { Length: > 0 } ns ? ns.Trim() : AssetDefaults.Namespace;

    /// <summary><paramref name="list"/> reads a list field sent as repeated fields (tags); by default, <paramref name="field"/>.</summary>
    public static UploadDetails Details(Func<string, string?> field, AssetOptions options, Func<string, string?>? list = null)
    {
        var callback = field("callback");
        if (callback is not null && (!Uri.TryCreate(callback, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw Invalid("callback must be an absolute http(s) URL.");
        }

        // A name is checked again at each delivery (it may resolve elsewhere by then); an address can be refused now.
        if (callback is not null && !options.AllowPrivateUrls && OutboundGuard.IsPrivateHost(new Uri(callback)))
        {
            throw Invalid("callback must be a public address: this server does not call private or local addresses.");
        }

        return new UploadDetails
        {
            Namespace = Namespace(field("unique_id"), field("folder_id")),
            CallbackUrl = callback,
            Tags = (list ?? field)("tags"),
            CameraModel = field("camera_model"),
            TakenAt = field("datetime_taken") is { } taken ? Time(taken) : null,
            Latitude = Coordinate(field("latitude"), "latitude", 90),
            Longitude = Coordinate(field("longitude"), "longitude", 180),
            TranscriptOf = field("video_no") is { } videoNo ? AssetIds.ParseV1(videoNo) ?? throw AssetService.NotFound() : null,
        };
    }

    private static DateTime Time(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            // Epoch milliseconds from 2001 on are 13 digits; shorter numbers are seconds.
            return (number > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number)).UtcDateTime;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : throw Invalid("datetime_taken must be ISO 8601 or epoch seconds/milliseconds.");
    }

    private static double? Coordinate(string? text, string name, double max)
    {
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= max
            ? value
            : throw Invalid($"{name} must be a number between -{max} and {max}.");
    }

    private static ApiException Invalid(string detail) => new(ApiError.InvalidRequest(detail));
}
