using System.Globalization;

namespace Mnemo.Client.Memories;

/// <summary>memories v2 <c>upload_status</c>: WAITING → UPLOADING → SUCCESS | FAILED.</summary>
public static class UploadStatus
{
    public const string Waiting = "WAITING";
    public const string Uploading = "UPLOADING";
    public const string Success = "SUCCESS";
    public const string Failed = "FAILED";
}

/// <summary>The memories envelope around every answer.</summary>
internal sealed record Envelope<T>(object Code, string Msg, T? Data, bool Success, bool Failed);

public sealed record UploadedAsset(string AssetId);

/// <summary>One asset's metadata (v2 <c>resource[0]</c>).</summary>
public sealed record AssetResource(
    string? Extension, string AssetId, string OriginalFilename, long FileSize, string UploadStatus, string? Cause,
    string CreateTime, string ModifyTime, double? Duration, int? Width, int? Height, double? Fps,
    string? VideoCodec, string? AudioCodec, IReadOnlyList<string> Codecs, string? Sha256)
{
    public bool IsFinished => UploadStatus is Memories.UploadStatus.Success or Memories.UploadStatus.Failed;

    /// <summary><see cref="CreateTime"/> (epoch milliseconds on the wire) as a time.</summary>
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(CreateTime, CultureInfo.InvariantCulture));
}

internal sealed record AssetMetadata(int Total, IReadOnlyList<AssetResource> Resource);

/// <summary>A row of v1 <c>list_videos</c>, with its v2 asset id.</summary>
public sealed record AssetSummary(string AssetId, string VideoNo, string Name, double? Duration, long Size, string Status, string? Cause, string CreateTime);

internal sealed record V1Video(string VideoNo, string VideoName, double? Duration, long Size, string Status, string? Cause, string CreateTime);

internal sealed record V1VideoList(IReadOnlyList<V1Video> Videos, int CurrentPage, int PageSize, int TotalCount);
