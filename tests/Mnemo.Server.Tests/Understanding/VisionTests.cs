using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>What is seen in videos and photos (the vision step), found by search over real HTTP; real photos from Debian's darknet.</summary>
public sealed class VisionTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Understanding:Vision"] = "true" });

    public void Dispose() => server.Dispose();

    private static string VideoNo(string assetId) => "VI" + assetId["re_".Length..];

    private static async Task<JsonElement> V1SearchAsync(HttpClient client, string query, string type)
    {
        var response = await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = query, search_type = type, top_k = 5 });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.BodyAsync()).GetProperty("data");
    }

    private static async Task<JsonElement> MemicSearchAsync(HttpClient client, string query)
    {
        var response = await client.PostAsJsonAsync("/api/v1/search", new { query, top_k = 5 });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.BodyAsync()).GetProperty("results").GetProperty("semantic");
    }

    private static async Task<JsonElement> UnderstandingAsync(HttpClient client, string assetId) =>
        (await (await client.GetAsync($"/serve/api/v2/{assetId}/understanding")).BodyAsync()).GetProperty("data");

    [VisionFact]
    public async Task ASilentSlideshowIsFoundByTheAnimalsInItAtTheMomentEachIsShown()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SeenMedia.Slideshow);

        var understanding = await UnderstandingAsync(client, id);
        var vision = understanding.GetProperty("steps").EnumerateArray().Single(s => s.Str("name") == "vision");
        vision.Str("state").ShouldBe("ok", vision.GetRawText());
        var objects = understanding.GetProperty("objects").EnumerateArray().ToList();
        var giraffe = objects.Single(o => o.Str("class") == "giraffe");
        giraffe.GetProperty("start_time").GetDouble().ShouldBe(3, 1);
        giraffe.GetProperty("end_time").GetDouble().ShouldBe(6, 1);
        giraffe.GetProperty("confidence").GetDouble().ShouldBeInRange(0.35, 1);
        var horses = objects.First(o => o.Str("class") == "horse");
        horses.GetProperty("start_time").GetDouble().ShouldBe(0, 0.1);
        horses.GetProperty("count").GetInt32().ShouldBeGreaterThan(1);
        horses.Str("text").ShouldEndWith("horses");

        // The giraffe is shown from 3 s to 6 s; frames are looked at every 2 s and at each scene change.
        foreach (var type in new[] { "BY_CLIP", "BY_VIDEO" })
        {
            var hits = await V1SearchAsync(client, "giraffe", type);
            hits.GetArrayLength().ShouldBeGreaterThan(0, $"{type} found no giraffe");
            hits[0].Str("videoNo").ShouldBe(VideoNo(id));
            hits[0].GetProperty("startTime").GetDouble().ShouldBe(3, 1);
            hits[0].GetProperty("endTime").GetDouble().ShouldBe(6, 1);
        }

        var horsesHits = await V1SearchAsync(client, "horses", "BY_CLIP");
        horsesHits[0].GetProperty("startTime").GetDouble().ShouldBe(0, 0.1);
        horsesHits[0].GetProperty("endTime").GetDouble().ShouldBe(3, 1);
        (await V1SearchAsync(client, "giraffe", "BY_AUDIO")).GetArrayLength().ShouldBe(0); // seen, not spoken

        var memic = await MemicSearchAsync(client, "giraffe");
        memic.GetArrayLength().ShouldBeGreaterThan(0, "memic search found no giraffe");
        memic[0].Str("content").ShouldBe("giraffe");
        memic[0].GetProperty("start_time").GetDouble().ShouldBe(3, 1);
        memic[0].GetProperty("end_time").GetDouble().ShouldBe(6, 1);

        // Never shown: not found anywhere.
        (await V1SearchAsync(client, "elephant", "BY_VIDEO")).GetArrayLength().ShouldBe(0);
        (await MemicSearchAsync(client, "elephant")).GetArrayLength().ShouldBe(0);
    }

    [VisionFact]
    public async Task AnUploadedPhotoIsFoundByWhatItShowsAndForgottenWhenDeleted()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var created = await (await client.PostFileAsync("/api/v1/files", SeenMedia.DogPhoto)).BodyAsync();
        var fileId = created.GetProperty("id").GetGuid();
        var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{fileId}/status"),
            b => b.Str("status") is "ready" || b.Str("status")!.EndsWith("_failed", StringComparison.Ordinal), seconds: 180);
        file.Str("status").ShouldBe("ready");

        var hits = await MemicSearchAsync(client, "dog");
        hits.GetArrayLength().ShouldBeGreaterThan(0, "the photo of a dog is not found by 'dog'");
        hits[0].GetProperty("file_id").GetGuid().ShouldBe(fileId);
        hits[0].Str("content").ShouldBe("dog");
        (await MemicSearchAsync(client, "giraffe")).GetArrayLength().ShouldBe(0);

        (await client.DeleteAsync($"/api/v1/files/{fileId}")).IsSuccessStatusCode.ShouldBeTrue();
        (await MemicSearchAsync(client, "dog")).GetArrayLength().ShouldBe(0);
        (await V1SearchAsync(client, "dog", "BY_VIDEO")).GetArrayLength().ShouldBe(0);
    }

    [VisionFact]
    public async Task ADeletedVideosObjectsAreGone()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SeenMedia.Slideshow);
        (await V1SearchAsync(client, "giraffe", "BY_CLIP")).GetArrayLength().ShouldBeGreaterThan(0);

        (await client.DeleteAsync($"/serve/api/v2/{id}")).IsSuccessStatusCode.ShouldBeTrue();
        (await V1SearchAsync(client, "giraffe", "BY_CLIP")).GetArrayLength().ShouldBe(0);
        (await MemicSearchAsync(client, "giraffe")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task WithoutTheEngineTheStepIsSkippedAndSaysHowToInstallIt()
    {
        var empty = Directory.CreateTempSubdirectory("mnemo-no-vision-");
        try
        {
            using var bare = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Understanding:Vision"] = "true", ["Mnemo:Understanding:VisionDir"] = empty.FullName });
            var account = await bare.CreateAccountAsync();
            using var client = bare.WithKey(account.Key);
            var id = await client.UploadV2ReadyAsync(TestMedia.Png);
            var vision = (await UnderstandingAsync(client, id)).GetProperty("steps").EnumerateArray().Single(s => s.Str("name") == "vision");
            vision.Str("state").ShouldBe("skipped");
            vision.Str("detail").ShouldBe("vision engine not installed, run scripts/install-vision");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void FramesShowingAClassInARowAreOneSpanUntilAFrameWithoutIt()
    {
        static Sight See(params (string Class, double Score)[] objects) => new([.. objects.Select(o => new SeenObject(o.Class, o.Score, [0, 0, 1, 1]))], []);
        var spans = Seeing.Merge(
        [
            (0, See(("horse", 0.6), ("horse", 0.5), ("horse", 0.2))),
            (2, See(("horse", 0.7))),
            (3, See(("giraffe", 0.5), ("zebra", 0.3))),
            (5, See(("giraffe", 0.4))),
            (6, See()),
        ], 9, 0.35);
        spans.Select(s => (s.Text, s.StartSeconds, s.EndSeconds, s.Score)).ShouldBe(
        [
            ("2 horses", 0, 3, 0.7),
            ("giraffe", 3, 6, 0.5),
        ]);

        Seeing.Merge([(null, See(("person", 0.6), ("person", 0.5), ("bicycle", 0.5)))], null, 0.35).Select(s => s.Text)
            .ShouldBe(["bicycle", "2 people (person)"]);
        SeenChunks.ClassOf("2 people (person)").ShouldBe("person");
        SeenChunks.ClassOf("3 buses").ShouldBe("bus");
        SeenChunks.ClassOf("2 wine glasses").ShouldBe("wine glass");
        SeenChunks.ClassOf("traffic light").ShouldBe("traffic light");
        SeenChunks.CountOf("2 wine glasses").ShouldBe(2);
        SeenChunks.CountOf("giraffe").ShouldBe(1);
    }
}
