using System.Globalization;
using System.Net;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Tests.Understanding;

namespace Mnemo.Server.Tests.Search;

/// <summary>
/// Search by image over real HTTP, on memories v1 and memic: Debian's darknet photos and a silent slideshow of them
/// (horses 0–3 s, giraffe 3–6 s, eagle 6–9 s); an altered giraffe finds the giraffe photo (first among the photos) and
/// the slideshow's giraffe moment with its times; a test pattern finds nothing; a deleted asset never answers.
/// </summary>
public sealed class ImageSearchTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Understanding:ImageFeatures:Enabled"] = "true" });

    public void Dispose() => server.Dispose();

    /// <summary>The giraffe photo cropped to its central 80 %, shrunk to 60 % and re-encoded at low JPEG quality.</summary>
    private static string AlteredGiraffe => TestMedia.Make("image-query-giraffe.jpg", p => TestMedia.Ffmpeg(
        "-i", SeenMedia.Photo("giraffe"), "-vf", "crop=iw*0.8:ih*0.8,scale=iw*0.6:-2", "-q:v", "20", p));

    /// <summary>Something no photo looks like: ffmpeg's test pattern.</summary>
    private static string Pattern => TestMedia.Make("image-query-pattern.png", p => TestMedia.Ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=640x480", "-frames:v", "1", p));

    private static async Task<string> UploadReadyAsync(HttpClient client, string path, string name)
    {
        var id = (await (await client.PostFileAsync("/serve/api/v2/upload", path, fileName: name)).BodyAsync()).GetProperty("data").Str("asset_id");
        var metadata = await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{id}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") is "SUCCESS" or "FAILED", seconds: 180);
        metadata.GetProperty("data").GetProperty("resource")[0].Str("upload_status").ShouldBe("SUCCESS");
        return "VI" + id["re_".Length..];
    }

    private static async Task<List<JsonElement>> SimilarAsync(HttpClient client, string image, IDictionary<string, string>? fields = null)
    {
        var response = await client.PostFileAsync("/serve/api/v1/search_similar_images", image, fields: fields);
        var body = await response.BodyAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.Str("code").ShouldBe("0000");
        return [.. body.GetProperty("data").EnumerateArray()];
    }

    private static async Task<List<JsonElement>> MemicAsync(HttpClient client, string image, IDictionary<string, string>? fields = null)
    {
        var response = await client.PostFileAsync("/api/v1/search/image", image, fields: fields);
        var body = await response.BodyAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        body.GetProperty("routing").Str("route").ShouldBe("image");
        return [.. body.GetProperty("results").GetProperty("semantic").EnumerateArray()];
    }

    private static double Seconds(JsonElement hit, string name) => double.Parse(hit.Str(name), CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnAlteredPhotoFindsItsOriginalFirstAndTheVideoMomentItIsShownIn()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var giraffe = await UploadReadyAsync(client, SeenMedia.Photo("giraffe"), "photo-1.jpg");
        var horses = await UploadReadyAsync(client, SeenMedia.Photo("horses"), "photo-2.jpg");
        var dog = await UploadReadyAsync(client, SeenMedia.Photo("dog"), "photo-3.jpg");
        var slideshow = await UploadReadyAsync(client, SeenMedia.Slideshow, "slideshow.mp4");

        var step = (await (await client.GetAsync($"/serve/api/v2/re_{slideshow[2..]}/understanding")).BodyAsync())
            .GetProperty("data").GetProperty("steps").EnumerateArray().Single(s => s.Str("name") == "features");
        step.Str("state").ShouldBe("ok", step.GetRawText());

        // memories v1, at the hosted API's default similarity (0.85): the photo and the slideshow's giraffe moment,
        // from the frame at 3 s to the eagle's at 6 s (its black bars trimmed, the frame is the photo), and no other photo.
        var hits = await SimilarAsync(client, AlteredGiraffe);
        hits.Count.ShouldBe(2, string.Join(", ", hits.Select(h => h.GetRawText())));
        hits.Select(h => h.Str("videoNo")).ShouldBe([giraffe, slideshow], ignoreOrder: true);
        hits.ShouldAllBe(h => h.GetProperty("score").GetDouble() >= 0.85);
        var moment = hits.Single(h => h.Str("videoNo") == slideshow);
        Seconds(moment, "startTime").ShouldBe(3, 0.5);
        Seconds(moment, "endTime").ShouldBe(6, 0.5);
        var photo = hits.Single(h => h.Str("videoNo") == giraffe);
        photo.Str("videoName").ShouldBe("photo-1.jpg");
        photo.Str("startTime").ShouldBe("0");

        // Among the photos alone (video_nos), the giraffe comes first; at similarity 0.5 the others still do not match it.
        var photos = await SimilarAsync(client, AlteredGiraffe, new Dictionary<string, string>
        {
            ["similarity"] = "0.5", ["video_nos"] = string.Join(',', giraffe, horses, dog),
        });
        photos.Select(h => h.Str("videoNo")).ShouldBe([giraffe]);

        // Within the one video (search_clips_by_image).
        var clips = await client.PostFileAsync("/serve/api/v1/search_clips_by_image", AlteredGiraffe,
            fields: new Dictionary<string, string> { ["video_no"] = slideshow, ["prompt"] = "the giraffe" });
        var clip = (await clips.BodyAsync()).GetProperty("data")[0];
        clip.GetProperty("start_time").GetDouble().ShouldBe(3, 0.5);
        clip.GetProperty("end_time").GetDouble().ShouldBe(6, 0.5);

        // memic: the same, in the shape of its text search.
        var memic = await MemicAsync(client, AlteredGiraffe, new Dictionary<string, string> { ["min_score"] = "0.85" });
        memic.Select(h => h.Str("file_name")).ShouldBe(["photo-1.jpg", "slideshow.mp4"], ignoreOrder: true);
        memic.Single(h => h.Str("file_name") == "photo-1.jpg").GetProperty("start_time").ValueKind.ShouldBe(JsonValueKind.Null);
        var seen = memic.Single(h => h.Str("file_name") == "slideshow.mp4");
        seen.GetProperty("start_time").GetDouble().ShouldBe(3, 0.5);
        seen.GetProperty("end_time").GetDouble().ShouldBe(6, 0.5);

        // memic's file_ids narrow the search to the slideshow.
        var only = await MemicAsync(client, AlteredGiraffe, new Dictionary<string, string> { ["file_ids"] = seen.Str("file_id") });
        only.Select(h => h.Str("file_name")).ShouldBe(["slideshow.mp4"]);
    }

    [Fact]
    public async Task APictureLikeNothingStoredFindsNothingAReparseReplacesAndADeletedAssetNeverAnswers()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var giraffe = await UploadReadyAsync(client, SeenMedia.Photo("giraffe"), "photo-1.jpg");
        var horses = await UploadReadyAsync(client, SeenMedia.Photo("horses"), "photo-2.jpg");

        // A re-parse replaces the features (one hit, not two).
        (await client.PostAsync($"/serve/api/v2/re_{horses[2..]}/reparse", null)).IsSuccessStatusCode.ShouldBeTrue();
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/re_{horses[2..]}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") == "SUCCESS");
        var again = await SimilarAsync(client, SeenMedia.Photo("horses"), new Dictionary<string, string> { ["similarity"] = "0" });
        again.Select(h => h.Str("videoNo")).ShouldBe([horses]);
        again[0].GetProperty("score").GetDouble().ShouldBeGreaterThan(0.99);

        (await SimilarAsync(client, Pattern, new Dictionary<string, string> { ["similarity"] = "0" })).ShouldBeEmpty();
        (await MemicAsync(client, Pattern)).ShouldBeEmpty();

        (await SimilarAsync(client, AlteredGiraffe))[0].Str("videoNo").ShouldBe(giraffe);
        (await client.DeleteAsync($"/serve/api/v2/re_{giraffe[2..]}")).IsSuccessStatusCode.ShouldBeTrue();
        (await SimilarAsync(client, AlteredGiraffe, new Dictionary<string, string> { ["similarity"] = "0" }))
            .Select(h => h.Str("videoNo")).ShouldNotContain(giraffe);
        (await MemicAsync(client, AlteredGiraffe)).Select(h => h.Str("file_name")).ShouldNotContain("photo-1.jpg");

        // Another account's key never sees this one's photos.
        var other = await server.CreateAccountAsync();
        using var stranger = server.WithKey(other.Key);
        (await SimilarAsync(stranger, SeenMedia.Photo("horses"), new Dictionary<string, string> { ["similarity"] = "0" })).ShouldBeEmpty();
    }

    [Fact]
    public async Task WithoutTheModelTheStepIsSkippedAndSearchByImageIsUnavailableAndFree()
    {
        var empty = Directory.CreateTempSubdirectory("mnemo-no-resnet-");
        try
        {
            using var bare = new MnemoServer(new Dictionary<string, string?>
            {
                ["Mnemo:Understanding:ImageFeatures:Enabled"] = "true", ["Mnemo:Understanding:ImageFeatures:ModelDir"] = empty.FullName,
            });
            var account = await bare.CreateAccountAsync();
            using var client = bare.WithKey(account.Key);
            var id = await UploadReadyAsync(client, TestMedia.Png, "pattern.png");
            var step = (await (await client.GetAsync($"/serve/api/v2/re_{id[2..]}/understanding")).BodyAsync())
                .GetProperty("data").GetProperty("steps").EnumerateArray().Single(s => s.Str("name") == "features");
            step.Str("state").ShouldBe("skipped");
            step.Str("detail").ShouldBe("the ResNet18 model is not installed");

            var before = (await (await client.GetAsync("/api/v1/usage")).BodyAsync()).GetProperty("balance").GetDouble();
            await (await client.PostFileAsync("/serve/api/v1/search_similar_images", Pattern)).ShouldBeV1ErrorAsync(503, "0503", "Service unavailable");
            await (await client.PostFileAsync("/api/v1/search/image", Pattern)).ShouldBeMemicErrorAsync(503, "service_unavailable");
            (await (await client.GetAsync("/api/v1/usage")).BodyAsync()).GetProperty("balance").GetDouble().ShouldBe(before);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TheQueryMustBeAnImage()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        await (await client.PostFileAsync("/serve/api/v1/search_similar_images", TestMedia.Pdf)).ShouldBeV1ErrorAsync(415, "0415", "Unsupported media type");
        await (await client.PostFileAsync("/api/v1/search/image", TestMedia.Pdf)).ShouldBeMemicErrorAsync(400, "invalid_file_type");
        await (await client.PostFileAsync("/serve/api/v1/search_clips_by_image", AlteredGiraffe)).ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters");
    }
}
