namespace Mnemo.Server.Tests.Hostile;

/// <summary>
/// Real things for the fuzzer to aim at, so a request gets past "not found" into the handler: an asset
/// (in its three id forms), a second one only downloads touch (ranges need bytes that stay), a live
/// prompt, one-time upload tokens, and, for /admin, a victim account and key nobody else uses.
/// </summary>
public sealed record FuzzFixture(
    long AssetNumber,
    Guid FileId,
    long DownloadAssetNumber,
    Guid DownloadFileId,
    string PromptName,
    string MemicUploadToken,
    string V2UploadToken,
    Guid VictimAccountId,
    Guid VictimKeyId)
{
    /// <summary>A well-formed value for a path, query or body parameter, chosen by its name and route.</summary>
    public string? ValueFor(string name, FuzzRoute route)
    {
        var download = route.IsDownload;
        return name switch
        {
            "video_no" => "VI" + (download ? DownloadAssetNumber : AssetNumber),
            "asset_id" => "re_" + (download ? DownloadAssetNumber : AssetNumber),
            "id" when route.Surface == FuzzSurface.Admin => route.Template.Contains("/keys/", StringComparison.Ordinal) ? VictimKeyId.ToString()
                : route.Template.Contains("/assets/", StringComparison.Ordinal) ? "VI" + AssetNumber
                : VictimAccountId.ToString(),
            "id" => (download ? DownloadFileId : FileId).ToString(),
            "token" => route.Surface == FuzzSurface.Memic ? MemicUploadToken : V2UploadToken,
            "name" when route.Surface == FuzzSurface.Memic && route.Template.Contains("{name}", StringComparison.Ordinal) => PromptName,
            "task_id" => "task_1",
            "number" or "page" => "1",
            "index" => "0",
            "unique_id" or "folder_id" => "default",
            "page_size" or "size" or "limit" or "top_k" => "5",
            "query" or "search_param" => "hello",
            "search_type" => "BY_CLIP",
            "filtering_level" => "low",
            "mime_type" => "text/plain",
            "filename" or "original_filename" => "note.txt",
            "body" => "Hello {{x}}",
            "variables" or "variable" or "x" => "x",
            "environment_slug" or "environment" => "production",
            "status" => "active",
            "credits" or "amount" => "10",
            "rate" => "0",
            "seed" => "1",
            "error" => "internal_error",
            "allowed_ip" => "127.0.0.1/32",
            "min_score" => "0.1",
            "segment_seconds" => "1",
            "latitude" or "longitude" => "1.5",
            "url" => "http://127.0.0.1:9/clip.mp4",
            "callback" => "http://127.0.0.1:9/callback",
            "tags" => "a,b",
            "datetime_taken" => "2024-01-01 00:00:00",
            _ => null,
        };
    }
}
