using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Processing;

/// <summary>Uploads one file and reads how its parse ended on all three surfaces.</summary>
public static class ParseOutcomes
{
    public sealed record Outcome(string V1Status, string V2Status, string MemicStatus, string Cause, int Chunks);

    public static async Task<Outcome> UploadAndWaitAsync(HttpClient client, string path, string? fileName = null)
    {
        var upload = await client.PostFileAsync("/serve/api/v2/upload", path, fileName: fileName);
        var assetId = (await upload.BodyAsync()).GetProperty("data").Str("asset_id");
        var v1 = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no=VI{assetId["re_".Length..]}"),
            b => b.GetProperty("data").Str("status") is "PARSE" or "PARSE_ERROR", seconds: 120)).GetProperty("data");
        var v2 = (await (await client.GetAsync($"/serve/api/v2/{assetId}/metadata")).BodyAsync()).GetProperty("data").GetProperty("resource")[0];
        var memic = (await (await client.GetAsync("/api/v1/files?page_size=100")).BodyAsync()).GetProperty("items").EnumerateArray()
            .Single(f => f.Str("original_filename") == (fileName ?? Path.GetFileName(path)));
        var cause = v1.TryGetProperty("cause", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        if (cause.Length > 0)
        {
            v2.Str("cause").ShouldBe(cause);
            memic.Str("error_message").ShouldBe(cause);
        }

        return new Outcome(v1.Str("status"), v2.Str("upload_status"), memic.Str("status"), cause, memic.GetProperty("total_chunks").GetInt32());
    }

    /// <summary>Failed on every surface (memic names the failing step, e.g. parsing_failed), with nothing indexed; returns the cause.</summary>
    public static string ShouldHaveFailed(this Outcome outcome)
    {
        outcome.V1Status.ShouldBe("PARSE_ERROR");
        outcome.V2Status.ShouldBe("FAILED");
        outcome.MemicStatus.ShouldEndWith("failed");
        outcome.Chunks.ShouldBe(0);
        outcome.Cause.ShouldNotBeNullOrWhiteSpace();
        return outcome.Cause;
    }
}
