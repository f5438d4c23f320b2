using System.Globalization;

namespace Mnemo.Server.Assets;

/// <summary>One core asset, one id per surface: VI{n} (v1), re_{n} (v2), a UUID (memic).</summary>
public static class AssetIds
{
    public static string V1(long id) => "VI" + id.ToString(CultureInfo.InvariantCulture);

    public static string V2(long id) => "re_" + id.ToString(CultureInfo.InvariantCulture);

    public static long? ParseV1(string? text) => ParseAfter(text, "VI");

    public static long? ParseV2(string? text) => ParseAfter(text, "re_");

    /// <summary>Any of the three forms, or the bare sequence number (the admin API takes all).</summary>
    public static bool TryParseAny(string text, out long id, out Guid fileId)
    {
        fileId = Guid.Empty;
        id = ParseV1(text) ?? ParseV2(text) ?? (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0);
        return id > 0 || Guid.TryParse(text, out fileId);
    }

    private static long? ParseAfter(string? text, string prefix) =>
        text is not null && text.StartsWith(prefix, StringComparison.Ordinal)
        && long.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
}
