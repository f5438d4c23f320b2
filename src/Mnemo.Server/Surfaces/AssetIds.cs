using System.Globalization;

namespace Mnemo.Server.Surfaces;

/// <summary>
/// One core asset, one id per memories surface: VI{n} (v1's video number), re_{n} (v2's asset id), both
/// the core's sequence number behind a prefix (memic uses the file id, a UUID, as it is).
/// </summary>
public static class AssetIds
{
    public static string V1(long id) => "VI" + id.ToString(CultureInfo.InvariantCulture);

    public static string V2(long id) => "re_" + id.ToString(CultureInfo.InvariantCulture);

    public static long? ParseV1(string? text) => ParseAfter(text, "VI");

    public static long? ParseV2(string? text) => ParseAfter(text, "re_");

    private static long? ParseAfter(string? text, string prefix) =>
        text is not null && text.StartsWith(prefix, StringComparison.Ordinal)
        && long.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
}
