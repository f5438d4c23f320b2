using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>Speech-to-text, OCR of images and video frames, and video clip/split tasks, over real HTTP.</summary>
public sealed class UnderstandingTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static string VideoNo(string assetId) => "VI" + assetId["re_".Length..];

    private static async Task<JsonElement> V1SearchAsync(HttpClient client, string query, string type)
    {
        var response = await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = query, search_type = type, top_k = 5 });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.BodyAsync()).GetProperty("data");
    }

    private static async Task<JsonElement> StepAsync(HttpClient client, string assetId, string name)
    {
        var steps = (await (await client.GetAsync($"/serve/api/v2/{assetId}/understanding")).BodyAsync()).GetProperty("data").GetProperty("steps");
        return steps.EnumerateArray().Single(s => s.Str("name") == name);
    }

    [Fact]
    public async Task ASpokenPhraseIsFoundByAudioSearchWithItsTimeRange()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SpokenAndShownMedia.SpeechVideo);
        (await StepAsync(client, id, "speech")).Str("state").ShouldBe("ok");

        var hits = await V1SearchAsync(client, "train station", "BY_AUDIO");
        hits.GetArrayLength().ShouldBeGreaterThan(0, "no transcript segment matched 'train station'");
        var hit = hits[0];
        hit.Str("videoNo").ShouldBe(VideoNo(id));
        // The sentence is spoken from 2 s to about 5 s; the segment that holds the phrase overlaps that.
        hit.GetProperty("startTime").GetDouble().ShouldBeInRange(SpokenAndShownMedia.SpeechStart - 0.5, 4.5);
        hit.GetProperty("endTime").GetDouble().ShouldBeInRange(SpokenAndShownMedia.SpeechStart + 1, 6.1);

        var transcript = (await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no={VideoNo(id)}")).BodyAsync()).GetProperty("data");
        var text = string.Join(' ', transcript.GetProperty("transcriptions").EnumerateArray().Select(t => t.Str("content")));
        text.ShouldContain("station");

        var memic = await (await client.PostAsJsonAsync("/api/v1/search", new { query = "train station", top_k = 3 })).BodyAsync();
        memic.GetProperty("results").GetProperty("semantic")[0].GetProperty("start_time").GetDouble().ShouldBeGreaterThanOrEqualTo(1.5);
    }

    [Fact]
    public async Task AnImageOfTextIsFoundByItsWords()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var created = await (await client.PostFileAsync("/api/v1/files", SpokenAndShownMedia.TextImage)).BodyAsync();
        var fileId = created.GetProperty("id").GetGuid();
        var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{fileId}/status"), b => b.Str("status") is "ready" || b.Str("status")!.EndsWith("_failed", StringComparison.Ordinal), seconds: 120);
        file.Str("status").ShouldBe("ready");

        var found = await (await client.PostAsJsonAsync("/api/v1/search", new { query = "invoice paid", top_k = 3 })).BodyAsync();
        var hit = found.GetProperty("results").GetProperty("semantic")[0];
        hit.GetProperty("file_id").GetGuid().ShouldBe(fileId);
        hit.Str("content").ShouldContain("INVOICE PAID");

        var content = await (await client.GetAsync($"/api/v1/files/{fileId}/content")).Content.ReadAsStringAsync();
        content.ShouldContain("INVOICE");
    }

    [Fact]
    public async Task AScannedPdfPageIsReadAndFoundWithItsPageNumber()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var created = await (await client.PostFileAsync("/api/v1/files", SpokenAndShownMedia.ScannedPdf)).BodyAsync();
        var fileId = created.GetProperty("id").GetGuid();
        var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{fileId}/status"), b => b.Str("status") is "ready" || b.Str("status")!.EndsWith("_failed", StringComparison.Ordinal), seconds: 120);
        file.Str("status").ShouldBe("ready");

        var found = await (await client.PostAsJsonAsync("/api/v1/search", new { query = "warehouse inventory", top_k = 3 })).BodyAsync();
        var hit = found.GetProperty("results").GetProperty("semantic")[0];
        hit.GetProperty("file_id").GetGuid().ShouldBe(fileId);
        hit.GetProperty("page_number").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task TheWordsOfASlideInAVideoAreFoundAtTheFrameTime()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SpokenAndShownMedia.SlideVideo);
        (await StepAsync(client, id, "ocr")).Str("state").ShouldBe("ok");

        foreach (var type in new[] { "BY_CLIP", "BY_CAPTION" })
        {
            var hits = await V1SearchAsync(client, "roadmap", type);
            hits.GetArrayLength().ShouldBeGreaterThan(0, $"{type} found no frame showing 'roadmap'");
            hits[0].Str("videoNo").ShouldBe(VideoNo(id));
            hits[0].GetProperty("startTime").GetDouble().ShouldBe(6.0, 0.6);
        }

        (await V1SearchAsync(client, "roadmap", "BY_AUDIO")).GetArrayLength().ShouldBe(0); // shown, not spoken
    }

    [Fact]
    public async Task ACaptionShownWithinAShotIsFoundAtAFrameThatShowsIt()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SpokenAndShownMedia.MidShotCaption);

        var hits = await V1SearchAsync(client, "warehouse inventory", "BY_CLIP");
        hits.GetArrayLength().ShouldBeGreaterThan(0, "no frame showing the caption was read");
        hits[0].Str("videoNo").ShouldBe(VideoNo(id));
        hits[0].GetProperty("startTime").GetDouble().ShouldBeInRange(3.5, 8.5);
    }

    [Fact]
    public void OcrReadsKeyframesAndAGridSpreadOverTheWholeVideo()
    {
        ImageText.FrameTimes([0, 6.2], 12, 5, 60).ShouldBe([0, 5, 6.2, 10]);
        ImageText.FrameTimes([0, 4], 12, 0, 60).ShouldBe([0, 4]); // keyframes only
        var hour = ImageText.FrameTimes([0], 3600, 5, 60);
        hour.Count.ShouldBeLessThanOrEqualTo(60);
        hour[^1].ShouldBeGreaterThan(3400); // the end of the video is read too, not only its first minutes
    }

    [Fact]
    public async Task SplittingTenSecondsIntoThreeSecondSegmentsGivesFourPlayableFiles()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SpokenAndShownMedia.TenSeconds);
        var balance = await BalanceAsync(client);

        var accepted = await client.PostAsJsonAsync("/serve/api/v2/video/split", new { asset_id = id, segment_seconds = 3 });
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        var taskId = (await accepted.BodyAsync()).GetProperty("data").Str("task_id");
        var task = await PollTaskAsync(client, taskId);
        task.Str("status").ShouldBe("SUCCESS");
        task.Str("type").ShouldBe("split");
        var clips = task.GetProperty("clips").EnumerateArray().ToList();
        clips.Count.ShouldBe(4);
        clips.Select(c => c.GetProperty("start_time").GetDouble()).ShouldBe([0, 3, 6, 9], tolerance: 0.1);

        var dir = Directory.CreateTempSubdirectory("mnemo-split-");
        try
        {
            for (var i = 0; i < clips.Count; i++)
            {
                var download = await client.GetAsync(clips[i].Str("download_url"));
                download.StatusCode.ShouldBe(HttpStatusCode.OK);
                download.Content.Headers.ContentType!.MediaType.ShouldBe("video/mp4");
                var path = Path.Combine(dir.FullName, $"{i}.mp4");
                await File.WriteAllBytesAsync(path, await download.Content.ReadAsByteArrayAsync());
                SpokenAndShownMedia.ProbeDuration(path).ShouldBe(i < 3 ? 3.0 : 1.0, 0.25);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        // 10 s of video at 2 credits a minute: 1 credit, reserved at acceptance and settled to the same.
        (await BalanceAsync(client)).ShouldBeLessThan(balance);
    }

    [Fact]
    public async Task ClipCutsAVideoAtItsSceneChange()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SpokenAndShownMedia.TwoScenes);

        var taskId = (await (await client.PostAsJsonAsync("/serve/api/v2/video/clip", new { asset_id = id })).BodyAsync()).GetProperty("data").Str("task_id");
        var task = await PollTaskAsync(client, taskId);
        task.Str("status").ShouldBe("SUCCESS");
        var clips = task.GetProperty("clips").EnumerateArray().ToList();
        clips.Count.ShouldBe(2);
        clips[0].GetProperty("end_time").GetDouble().ShouldBe(4.0, 0.1);
        clips[1].GetProperty("start_time").GetDouble().ShouldBe(4.0, 0.1);
    }

    [Fact]
    public async Task BadVideoTaskRequestsAreCatalogErrors()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);

        await (await client.PostAsJsonAsync("/serve/api/v2/video/split", new { asset_id = "re_1" })).ShouldBeV2ErrorAsync(400, "Invalid request parameters");
        await (await client.PostAsJsonAsync("/serve/api/v2/video/split", new { asset_id = "re_1", segment_seconds = 0 })).ShouldBeV2ErrorAsync(400, "Invalid request parameters");
        await (await client.PostAsJsonAsync("/serve/api/v2/video/clip", new { })).ShouldBeV2ErrorAsync(400, "Invalid request parameters");
        await (await client.PostAsJsonAsync("/serve/api/v2/video/clip", new { asset_id = "re_999999" })).ShouldBeV2ErrorAsync(400, "Asset not found");
        await (await client.GetAsync("/serve/api/v2/video/task/vt_nope")).ShouldBeV2ErrorAsync(404, "Not found");
    }

    private static async Task<JsonElement> PollTaskAsync(HttpClient client, string taskId) =>
        (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/video/task/{taskId}"),
            b => b.GetProperty("data").Str("status") is "SUCCESS" or "FAILED", seconds: 120)).GetProperty("data");

    private static async Task<long> BalanceAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/usage")).BodyAsync()).GetProperty("balance").GetInt64();
}
