using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Search;

/// <summary>A PDF and a video with a subtitle track, searched on memories v1 and memic, with pages and times.</summary>
public sealed class SearchTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static Func<JsonElement, bool> Settled => b => b.Str("status") is "ready" || b.Str("status")!.EndsWith("_failed", StringComparison.Ordinal);

    private static async Task<Guid> UploadReadyAsync(HttpClient client, string path, string? name = null)
    {
        var created = await (await client.PostFileAsync("/api/v1/files", path, fileName: name)).BodyAsync();
        var id = created.GetProperty("id").GetGuid();
        var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}/status"), Settled);
        file.Str("status").ShouldBe("ready");
        return id;
    }

    private static async Task<JsonElement> MemicSearchAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/search", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.BodyAsync();
    }

    [Fact]
    public async Task PhrasesFromAPdfPageAndASubtitleTrackAreFoundWithPageAndTimesOnMemicAndV1()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var pdf = await UploadReadyAsync(client, TestMedia.Pdf, "animals.pdf");
        var video = await UploadReadyAsync(client, TestMedia.Mp4WithSubtitles, "talk.mp4");

        var onPage = await MemicSearchAsync(client, new { query = "alpacas", top_k = 5 });
        var pageHit = onPage.GetProperty("results").GetProperty("semantic")[0];
        pageHit.GetProperty("file_id").GetGuid().ShouldBe(pdf);
        pageHit.Str("file_name").ShouldBe("animals.pdf");
        pageHit.GetProperty("page_number").GetInt32().ShouldBe(2);
        pageHit.Str("content").ShouldContain("alpacas");
        pageHit.GetProperty("score").GetDouble().ShouldBeInRange(0.5, 1.0);
        onPage.GetProperty("results").GetProperty("structured").ValueKind.ShouldBe(JsonValueKind.Null);
        onPage.GetProperty("total_results").GetInt32().ShouldBeGreaterThanOrEqualTo(1);

        var spoken = await MemicSearchAsync(client, new { query = "hello subtitle track", top_k = 5, min_score = 0.4 });
        var timeHit = spoken.GetProperty("results").GetProperty("semantic")[0];
        timeHit.GetProperty("file_id").GetGuid().ShouldBe(video);
        timeHit.GetProperty("start_time").GetDouble().ShouldBe(0.5, 0.01);
        timeHit.GetProperty("end_time").GetDouble().ShouldBe(1.5, 0.01);

        var files = await (await client.GetAsync($"/api/v1/files/{video}")).BodyAsync();
        files.GetProperty("id").GetGuid().ShouldBe(video);
        var v1List = await (await client.PostAsJsonAsync("/serve/api/v1/list_videos", new { page = 1, size = 10 })).BodyAsync();
        var videoNo = v1List.GetProperty("data").GetProperty("videos").EnumerateArray()
            .Single(v => v.Str("video_name") == "talk.mp4").Str("video_no");

        var clips = await (await client.PostAsJsonAsync("/serve/api/v1/search",
            new { search_param = "hello subtitle track", search_type = "BY_AUDIO", top_k = 3, filtering_level = "high" })).BodyAsync();
        clips.Str("code").ShouldBe("0000");
        var clip = clips.GetProperty("data")[0];
        clip.Str("videoNo").ShouldBe(videoNo);
        clip.Str("videoName").ShouldBe("talk.mp4");
        clip.GetProperty("startTime").GetDouble().ShouldBe(0.5, 0.01);
        clip.GetProperty("endTime").GetDouble().ShouldBe(1.5, 0.01);
        clip.GetProperty("score").GetDouble().ShouldBeGreaterThanOrEqualTo(0.4);

        var byAudioOnly = await (await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "alpacas", search_type = "BY_AUDIO" })).BodyAsync();
        byAudioOnly.GetProperty("data").GetArrayLength().ShouldBe(0);
        var byVideo = await (await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "alpacas", search_type = "BY_VIDEO" })).BodyAsync();
        byVideo.GetProperty("data").GetArrayLength().ShouldBeGreaterThan(0);
        // A document hit says its page on v1 too (the hosted v1 has no field for it; startTime/endTime are 0).
        byVideo.GetProperty("data")[0].Str("videoName").ShouldBe("animals.pdf");
        byVideo.GetProperty("data")[0].GetProperty("pageNumber").GetInt32().ShouldBe(2);
        clip.GetProperty("pageNumber").ValueKind.ShouldBe(JsonValueKind.Null);

        var balance = await client.BalanceAsync();
        var exact = await (await client.GetAsync("/serve/api/v1/search_audio_transcripts?query=SECOND%20line&page=1&page_size=10")).BodyAsync();
        (await client.BalanceAsync()).ShouldBe(balance - 1); // a query, paid like every search
        var match = exact.GetProperty("data").GetProperty("items")[0];
        match.Str("videoNo").ShouldBe(videoNo);
        match.GetProperty("startTime").GetDouble().ShouldBe(1.8, 0.01);
        exact.GetProperty("data").GetProperty("total_count").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task ADeletedAssetNeverAppears()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var pdf = await UploadReadyAsync(client, TestMedia.Pdf);
        (await MemicSearchAsync(client, new { query = "llamas" })).GetProperty("total_results").GetInt32().ShouldBeGreaterThan(0);
        (await client.DeleteAsync($"/api/v1/files/{pdf}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await MemicSearchAsync(client, new { query = "llamas" })).GetProperty("total_results").GetInt32().ShouldBe(0);
        var v1 = await (await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "llamas" })).BodyAsync();
        v1.GetProperty("data").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task SearchStaysInsideTheAccountEnvironmentAndTheFilters()
    {
        var owner = await server.CreateAccountAsync();
        var stranger = await server.CreateAccountAsync();
        using var client = server.WithKey(owner.Key);
        using var other = server.WithKey(stranger.Key);
        var pdf = await UploadReadyAsync(client, TestMedia.Pdf);
        (await MemicSearchAsync(other, new { query = "llamas alpacas" })).GetProperty("total_results").GetInt32().ShouldBe(0);

        var pageOne = await MemicSearchAsync(client, new { query = "llamas alpacas", metadata_filters = new { page_number = 1 } });
        pageOne.GetProperty("results").GetProperty("semantic").EnumerateArray().ShouldAllBe(h => h.GetProperty("page_number").GetInt32() == 1);
        var range = await MemicSearchAsync(client, new { query = "llamas alpacas", metadata_filters = new { page_range = new { gte = 2, lte = 5 } } });
        range.GetProperty("results").GetProperty("semantic").EnumerateArray().ShouldAllBe(h => h.GetProperty("page_number").GetInt32() == 2);
        var byFile = await MemicSearchAsync(client, new { query = "llamas", file_ids = new[] { Guid.NewGuid() } });
        byFile.GetProperty("total_results").GetInt32().ShouldBe(0);
        (await MemicSearchAsync(client, new { query = "llamas", file_ids = new[] { pdf } })).GetProperty("total_results").GetInt32().ShouldBeGreaterThan(0);
        await (await client.PostAsJsonAsync("/api/v1/search", new { query = "llamas", environment_slug = "staging" })).ShouldBeMemicErrorAsync(403, "forbidden");
    }

    [Fact]
    public async Task OutOfRangeParametersAreRejectedPerSurface()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        await (await client.PostAsJsonAsync("/api/v1/search", new { query = "x", top_k = 51 })).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await client.PostAsJsonAsync("/api/v1/search", new { top_k = 5 })).ShouldBeMemicErrorAsync(400, "invalid_request");
        await (await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "x", top_k = 1001 })).ShouldBeV1ErrorAsync(400, "0003", "Invalid request parameters");
        await (await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "x", filtering_level = "max" })).ShouldBeV1ErrorAsync(400, "0003", "Invalid request parameters");
        await (await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "x", search_type = "BY_SMELL" })).ShouldBeV1ErrorAsync(400, "0003", "Invalid request parameters");
    }

    [Fact]
    public async Task RenderFillsContextFromSearchWithItsSources()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var pdf = await UploadReadyAsync(client, TestMedia.Pdf, "animals.pdf");
        await client.PostAsJsonAsync("/api/v1/prompts", new { name = "qa", body = "Answer {{question}} using:\n{{context}}" });

        var rendered = await (await client.PostAsJsonAsync("/api/v1/prompts/qa/render",
            new { variables = new { question = "what about alpacas?" }, query = "alpacas", top_k = 3 })).BodyAsync();
        rendered.Str("prompt").ShouldStartWith("Answer what about alpacas? using:\n[1] animals.pdf (page 2): ");
        rendered.Str("prompt").ShouldContain("Second page about alpacas");
        var source = rendered.GetProperty("sources")[0];
        source.GetProperty("file_id").GetGuid().ShouldBe(pdf);
        source.GetProperty("page_number").GetInt32().ShouldBe(2);

        var noContext = await client.PostAsJsonAsync("/api/v1/prompts/qa/render", new { variables = new { question = "q" } });
        (await noContext.ShouldBeMemicErrorAsync(422, "unprocessable_entity")).Str("detail").ShouldContain("'context'");
    }
}
