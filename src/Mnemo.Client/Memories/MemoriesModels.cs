using System.Globalization;

namespace Mnemo.Client.Memories;

/// <summary>memories v2 <c>upload_status</c>: WAITING → UPLOADING → SUCCESS | FAILED.</summary>
public static class UploadStatus
{
    /// <summary>Waiting for the bytes or for processing to start.</summary>
    public const string Waiting = "WAITING";
    /// <summary>Being processed.</summary>
    public const string Uploading = "UPLOADING";
    /// <summary>Processed and ready.</summary>
    public const string Success = "SUCCESS";
    /// <summary>Processing failed; <see cref="AssetResource.Cause"/> says why.</summary>
    public const string Failed = "FAILED";
}

/// <summary>The memories envelope around every answer.</summary>
internal sealed record Envelope<T>(object Code, string Msg, T? Data, bool Success, bool Failed);

/// <summary>The <c>data</c> of an upload's answer.</summary>
/// <param name="AssetId">The new asset's id, <c>re_</c> and a number.</param>
public sealed record UploadedAsset(string AssetId);

/// <summary>One asset's metadata (v2 <c>resource[0]</c>).</summary>
/// <param name="Extension">The detected file format (e.g. <c>mp4</c>, <c>pdf</c>); null before the bytes arrive.</param>
/// <param name="AssetId">The asset's id, <c>re_</c> and a number.</param>
/// <param name="OriginalFilename">The file name given at upload.</param>
/// <param name="FileSize">Size in bytes (0 before the bytes arrive).</param>
/// <param name="UploadStatus">One of the <see cref="Memories.UploadStatus"/> values.</param>
/// <param name="Cause">Why processing failed; null otherwise.</param>
/// <param name="CreateTime">When the asset was created: epoch milliseconds, as a string.</param>
/// <param name="ModifyTime">When it last changed: epoch milliseconds, as a string.</param>
/// <param name="Duration">Length of a video or audio file, in seconds; null otherwise or before parsing.</param>
/// <param name="Width">Video or image width in pixels; null otherwise or before parsing.</param>
/// <param name="Height">Video or image height in pixels; null otherwise or before parsing.</param>
/// <param name="Fps">Video frames per second; null otherwise or before parsing.</param>
/// <param name="VideoCodec">The video codec's name (e.g. <c>h264</c>); null if none.</param>
/// <param name="AudioCodec">The audio codec's name (e.g. <c>aac</c>); null if none.</param>
/// <param name="Codecs">The video and audio codecs that are known (empty before parsing).</param>
/// <param name="Sha256">SHA-256 of the original bytes, lowercase hex; null until they arrived whole.</param>
public sealed record AssetResource(
    string? Extension, string AssetId, string OriginalFilename, long FileSize, string UploadStatus, string? Cause,
    string CreateTime, string ModifyTime, double? Duration, int? Width, int? Height, double? Fps,
    string? VideoCodec, string? AudioCodec, IReadOnlyList<string> Codecs, string? Sha256)
{
    /// <summary>SUCCESS or FAILED: polling it again will not change it.</summary>
    public bool IsFinished => UploadStatus is Memories.UploadStatus.Success or Memories.UploadStatus.Failed;

    /// <summary><see cref="CreateTime"/> (epoch milliseconds on the wire) as a time.</summary>
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(CreateTime, CultureInfo.InvariantCulture));
}

internal sealed record AssetMetadata(int Total, IReadOnlyList<AssetResource> Resource);

/// <summary>A row of v1 <c>list_videos</c>, with its v2 asset id.</summary>
/// <param name="AssetId">The v2 asset id, <c>re_</c> and a number.</param>
/// <param name="VideoNo">The same asset's v1 id, <c>VI</c> and the same number.</param>
/// <param name="Name">The file name given at upload.</param>
/// <param name="Duration">Length of a video or audio file, in seconds; null otherwise or before parsing.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Status">v1's status: <c>UNPARSE</c> (not processed yet), <c>PARSE</c> (ready) or <c>PARSE_ERROR</c>.</param>
/// <param name="Cause">Why processing failed; null otherwise.</param>
/// <param name="CreateTime">When the asset was created: epoch milliseconds, as a string.</param>
public sealed record AssetSummary(string AssetId, string VideoNo, string Name, double? Duration, long Size, string Status, string? Cause, string CreateTime);

internal sealed record V1Video(string VideoNo, string VideoName, double? Duration, long Size, string Status, string? Cause, string CreateTime);

internal sealed record V1VideoList(IReadOnlyList<V1Video> Videos, int CurrentPage, int PageSize, int TotalCount);
