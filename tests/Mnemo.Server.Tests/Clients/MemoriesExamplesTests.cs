using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Clients;

/// <summary>
/// The memories.ai examples client (common/client.py), call by call, over raw HTTP: a raw key in
/// Authorization, tags sent as repeated form fields (as requests sends a list), get_metadata without
/// unique_id, the smoke test's unknown video, transcripts read as videos[].audio_ts, clip then split.
/// </summary>
public sealed class MemoriesExamplesTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?>
    {
        // The contract's own budgets for the two classes the examples hit back to back.
        ["Mnemo:RateLimits:Memories:Upload:Permits"] = "1",
        ["Mnemo:RateLimits:Memories:VideoTasks:Permits"] = "5",
    });

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task UploadWithRepeatedTagsThenMetadataWithoutUniqueIdThenUnknownIdThenTranscripts()
    {
        var account = await server.CreateAccountAsync();
        using var client = ExamplesClient(account.Key);

        // upload: unique_id given, tags as a list
        var form = new MultipartFormDataContent
        {
            { new StringContent("team-7"), "unique_id" },
            { new StringContent("alpha"), "tags" },
            { new StringContent("beta"), "tags" },
        };
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(TestMedia.Mp4WithSubtitles));
        file.Headers.ContentType = new("video/mp4");
        form.Add(file, "file", "talk.mp4");
        var uploaded = await (await client.PostAsync("/serve/api/v1/upload", form)).BodyAsync();
        uploaded.Str("code").ShouldBe("0000");
        var videoNo = uploaded.GetProperty("data").Str("videoNo");

        // get_metadata with video_no alone finds it, whatever unique_id it went under
        var metadata = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"),
            b => b.GetProperty("data").Str("status") != "UNPARSE")).GetProperty("data");
        metadata.Str("status").ShouldBe("PARSE");
        metadata.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["alpha", "beta"]);

        // unique_id, when given, still restricts
        (await (await client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}&unique_id=team-7")).BodyAsync())
            .GetProperty("data").Str("video_no").ShouldBe(videoNo);
        await ShouldBeSuccessWithNullDataAsync(await client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}&unique_id=other"));

        // the smoke test: an unknown video is 200, code 0000, data null
        await ShouldBeSuccessWithNullDataAsync(await client.GetAsync("/serve/api/v1/get_metadata?video_no=VI999999999"));

        // search_audio_transcripts: data.videos[{videoNo, videoName, audio_ts}]
        var transcripts = (await (await client.GetAsync("/serve/api/v1/search_audio_transcripts?query=subtitle%20track&unique_id=team-7")).BodyAsync()).GetProperty("data");
        var video = transcripts.GetProperty("videos").EnumerateArray().ShouldHaveSingleItem();
        video.Str("videoNo").ShouldBe(videoNo);
        video.Str("videoName").ShouldBe("talk.mp4");
        video.Str("audio_ts").ShouldBe("[0.5-1.5] Hello from the subtitle track");
        transcripts.GetProperty("items").GetArrayLength().ShouldBe(1);

        // search hits from speech carry audio_ts too
        var hits = (await (await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "subtitle track", search_type = "BY_AUDIO", unique_id = "team-7" })).BodyAsync())
            .GetProperty("data").EnumerateArray().ToList();
        hits.ShouldNotBeEmpty();
        hits[0].Str("videoNo").ShouldBe(videoNo);
        hits[0].Str("audio_ts").ShouldBe("[0.5-1.5] Hello from the subtitle track");

        // a deleted video reads like an unknown one
        (await (await client.PostAsJsonAsync("/serve/api/v1/delete_videos?unique_id=team-7", new[] { videoNo })).BodyAsync()).Str("code").ShouldBe("0000");
        await ShouldBeSuccessWithNullDataAsync(await client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"));

        // other routes keep their not-found errors
        await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no={videoNo}&unique_id=team-7"))
            .ShouldBeV1ErrorAsync(400, "0001", "Asset not found");
    }

    [Fact]
    public async Task ClipThenSplitBackToBackAreNotRateLimited()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var client = ExamplesClient(account.Key);
        var uploaded = await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync();
        var assetId = uploaded.GetProperty("data").Str("asset_id");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") is "SUCCESS" or "FAILED");

        // The upload took the one upload permit of this second; clip and split have their own budget.
        var clip = await client.PostAsJsonAsync("/serve/api/v2/video/clip", new { asset_id = assetId });
        var split = await client.PostAsJsonAsync("/serve/api/v2/video/split", new { asset_id = assetId, segment_seconds = 1 });
        clip.StatusCode.ShouldBe(HttpStatusCode.OK, await clip.Content.ReadAsStringAsync());
        split.StatusCode.ShouldBe(HttpStatusCode.OK, await split.Content.ReadAsStringAsync());
        split.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("5");
    }

    /// <summary>The examples send the raw key in Authorization, nothing else.</summary>
    private HttpClient ExamplesClient(string key)
    {
        var client = server.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key);
        return client;
    }

    private static async Task ShouldBeSuccessWithNullDataAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.BodyAsync();
        body.Str("code").ShouldBe("0000");
        body.Str("msg").ShouldBe("success");
        body.GetProperty("data").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("success").GetBoolean().ShouldBeTrue();
    }
}
