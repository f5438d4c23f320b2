using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.People;
using Mnemo.Server.Search.Semantic;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Tests.Understanding;
using Mnemo.Server.Understanding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Tests.People;

/// <summary>Faces clustered into people, named, found by name and by photo, and gone with their assets: over real HTTP, on darknet's real photos.</summary>
public sealed class PeopleTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Understanding:Vision"] = "true" });

    public void Dispose() => server.Dispose();

    private static async Task<JsonElement> GetOkAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.BodyAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        return body;
    }

    private static async Task<JsonElement> SearchByPhotoAsync(HttpClient client, string url, string photo)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(await File.ReadAllBytesAsync(photo)), "file", Path.GetFileName(photo));
        content.Add(new StringContent("10"), "top_k");
        var response = await client.PostAsync(url, content);
        var body = await response.BodyAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.GetRawText());
        return body;
    }

    [VisionFact]
    public async Task AVideoShowingAPersonTwiceIsOnePersonWithTwoMomentsFoundByNameAndByPhoto()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = await client.UploadV2ReadyAsync(SeenMedia.PersonTwice);

        var vision = (await GetOkAsync(client, $"/serve/api/v2/{id}/understanding")).GetProperty("data").GetProperty("steps")
            .EnumerateArray().Single(s => s.Str("name") == "vision");
        vision.Str("detail").ShouldEndWith("on a person"); // the horses' "face" is counted, not kept
        var people = await GetOkAsync(client, "/api/v1/people");
        people.GetProperty("total").GetInt32().ShouldBe(1, people.GetRawText());
        var person = people.GetProperty("items")[0];
        person.Str("id").ShouldBe("person_1");
        person.GetProperty("name").ValueKind.ShouldBe(JsonValueKind.Null);
        person.GetProperty("moment_count").GetInt32().ShouldBe(2);

        // Seen 0–3 s and 6–9 s; frames are looked at every 2 s and at each scene change, so each moment ends where the next picture does not show her.
        var detail = (await GetOkAsync(client, "/serve/api/v2/people/person_1")).GetProperty("data");
        var moments = detail.GetProperty("moments").EnumerateArray().ToList();
        moments.Count.ShouldBe(2, detail.GetRawText());
        moments.ShouldAllBe(m => m.Str("asset_id") == id);
        moments[0].GetProperty("start_time").GetDouble().ShouldBe(0, 0.1);
        moments[0].GetProperty("end_time").GetDouble().ShouldBe(3, 1);
        moments[1].GetProperty("start_time").GetDouble().ShouldBe(6, 1);
        moments[1].GetProperty("end_time").GetDouble().ShouldBe(9, 0.5);

        var thumbnail = await client.GetAsync("/api/v1/people/person_1/thumbnail");
        thumbnail.StatusCode.ShouldBe(HttpStatusCode.OK);
        thumbnail.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        (await thumbnail.Content.ReadAsByteArrayAsync())[..2].ShouldBe(new byte[] { 0xFF, 0xD8 });

        // Named, she is found by her name at both moments, on memic and on memories v1.
        (await MemicSearchAsync(client, "Alice")).GetArrayLength().ShouldBe(0);
        var renamed = await client.PatchAsJsonAsync("/api/v1/people/person_1", new { name = "Alice" });
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await renamed.BodyAsync()).Str("name").ShouldBe("Alice");
        var hits = (await MemicSearchAsync(client, "Alice")).EnumerateArray().ToList();
        hits.Count.ShouldBe(2, string.Join(", ", hits.Select(h => h.GetRawText())));
        hits.ShouldAllBe(h => h.Str("content") == "Alice");
        hits.Select(h => h.GetProperty("start_time").GetDouble()).Order().First().ShouldBe(0, 0.1);
        hits.Select(h => h.GetProperty("start_time").GetDouble()).Order().Last().ShouldBe(6, 1);
        var v1 = await client.PostAsJsonAsync("/serve/api/v1/search", new { search_param = "Alice", search_type = "BY_VIDEO", top_k = 5 });
        (await v1.BodyAsync()).GetProperty("data").GetArrayLength().ShouldBe(2);

        // One photo of her face finds every moment she is in, most alike first; a photo of a dog finds none.
        var found = (await SearchByPhotoAsync(client, "/api/v1/people/search", SeenMedia.PersonReference)).GetProperty("results").EnumerateArray().ToList();
        found.Count.ShouldBe(2);
        found.ShouldAllBe(f => f.Str("person_id") == "person_1" && f.Str("person_name") == "Alice");
        found[0].GetProperty("similarity").GetDouble().ShouldBeGreaterThanOrEqualTo(found[1].GetProperty("similarity").GetDouble());
        found[0].GetProperty("similarity").GetDouble().ShouldBeGreaterThan(0.6);
        var v2 = (await SearchByPhotoAsync(client, "/serve/api/v2/people/search", SeenMedia.PersonReference)).GetProperty("data");
        v2.GetArrayLength().ShouldBe(2);
        v2[0].Str("asset_id").ShouldBe(id);
        var dog = await SearchByPhotoAsync(client, "/api/v1/people/search", SeenMedia.Photo("dog"));
        dog.GetProperty("results").GetArrayLength().ShouldBe(0, dog.GetRawText());

        // Another environment sees no one.
        var other = await server.CreateAccountAsync();
        using var stranger = server.WithKey(other.Key);
        (await GetOkAsync(stranger, "/api/v1/people")).GetProperty("total").GetInt32().ShouldBe(0);
        (await stranger.GetAsync("/api/v1/people/person_1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [VisionFact]
    public async Task AReparseFindsTheSamePersonAndDeletingTheAssetsRemovesTheirFacesAndThenThePerson()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var video = await client.UploadV2ReadyAsync(SeenMedia.PersonTwice);
        var photo = await client.UploadV2ReadyAsync(SeenMedia.PersonPhoto);
        var people = await GetOkAsync(client, "/api/v1/people");
        people.GetProperty("total").GetInt32().ShouldBe(1, people.GetRawText()); // the photo's face joins the video's person
        var moments = (await GetOkAsync(client, "/serve/api/v2/people/person_1")).GetProperty("data").GetProperty("moments").EnumerateArray().ToList();
        moments.Count.ShouldBe(3);
        var still = moments.Single(m => m.Str("asset_id") == photo);
        still.GetProperty("start_time").ValueKind.ShouldBe(JsonValueKind.Null);
        (await client.PatchAsJsonAsync("/serve/api/v2/people/person_1", new { name = "Alice" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await MemicSearchAsync(client, "Alice")).GetArrayLength().ShouldBe(3);

        // A re-parse replaces the video's faces: they join the same person again, whose name still finds them.
        (await client.PostAsync($"/serve/api/v2/{video}/reparse", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{video}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") is "SUCCESS" or "FAILED", seconds: 180);
        var again = await GetOkAsync(client, "/api/v1/people");
        again.GetProperty("total").GetInt32().ShouldBe(1, again.GetRawText());
        again.GetProperty("items")[0].Str("id").ShouldBe("person_1");
        again.GetProperty("items")[0].Str("name").ShouldBe("Alice");
        again.GetProperty("items")[0].GetProperty("moment_count").GetInt32().ShouldBe(3);
        (await MemicSearchAsync(client, "Alice")).GetArrayLength().ShouldBe(3);

        (await client.DeleteAsync($"/serve/api/v2/{video}")).IsSuccessStatusCode.ShouldBeTrue();
        var left = (await GetOkAsync(client, "/serve/api/v2/people/person_1")).GetProperty("data");
        left.GetProperty("moments").EnumerateArray().Select(m => m.Str("asset_id")).ShouldBe([photo]);
        left.GetProperty("face_count").GetInt32().ShouldBe(1);
        (await MemicSearchAsync(client, "Alice")).GetArrayLength().ShouldBe(1);

        (await client.DeleteAsync($"/serve/api/v2/{photo}")).IsSuccessStatusCode.ShouldBeTrue();
        (await GetOkAsync(client, "/api/v1/people")).GetProperty("total").GetInt32().ShouldBe(0);
        var gone = await client.GetAsync("/api/v1/people/person_1");
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await gone.BodyAsync()).Str("code").ShouldBe("not_found");
        (await client.GetAsync("/api/v1/people/person_1/thumbnail")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await MemicSearchAsync(client, "Alice")).GetArrayLength().ShouldBe(0);
        (await SearchByPhotoAsync(client, "/api/v1/people/search", SeenMedia.PersonReference)).GetProperty("results").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AnUnknownPersonAndASearchWithoutAPhotoAreTheSurfacesErrors()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var memic = await client.GetAsync("/api/v1/people/person_9");
        memic.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await memic.BodyAsync()).Str("code").ShouldBe("not_found");
        var v2 = await client.GetAsync("/serve/api/v2/people/nobody");
        v2.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.PatchAsJsonAsync("/api/v1/people/person_9", new { name = "Bob" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var empty = new MultipartFormDataContent { { new StringContent("3"), "top_k" } };
        var missing = await client.PostAsync("/api/v1/people/search", empty);
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.BodyAsync()).Str("code").ShouldBe("invalid_request");
        using var text = new MultipartFormDataContent { { new ByteArrayContent("no face here"u8.ToArray()), "file", "note.txt" } };
        var notAPhoto = await client.PostAsync("/api/v1/people/search", text);
        notAPhoto.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notAPhoto.BodyAsync()).Str("code").ShouldBe("invalid_file_type");
    }

    [Fact]
    public void APersonSeenInConsecutivePicturesIsOneMomentUntilAPictureWithoutThem()
    {
        double?[] lookedAt = [0, 2, 3, 4, 6, 8];
        Clustering.Moments(lookedAt, new HashSet<double?> { 0, 2, 6, 8 }, 9).Select(s => (s.Start, s.End, s.Times.Count))
            .ShouldBe([(0, 3, 2), (6, 9, 2)]);
        Clustering.Moments([null], new HashSet<double?> { null }, null).Select(s => (s.Start, s.End)).ShouldBe([((double?)null, (double?)null)]);
    }

    [Fact]
    public void AFaceJoinsTheNearestPersonAboveTheThresholdOrNone()
    {
        var a = new Clustering.Candidate("a", Vectors.Unit([1, 0, 0]));
        var b = new Clustering.Candidate("b", Vectors.Unit([0.6f, 0.8f, 0]));
        Clustering.Nearest([a, b], Vectors.Unit([0.9f, 0.1f, 0]), 0.6)!.Value.Person.Key.ShouldBe("a");
        Clustering.Nearest([a, b], Vectors.Unit([0.5f, 0.9f, 0]), 0.6)!.Value.Person.Key.ShouldBe("b");
        Clustering.Nearest([a, b], Vectors.Unit([0, 0, 1]), 0.6).ShouldBeNull();
        Clustering.Centroid([Vectors.Unit([1, 0]), Vectors.Unit([0, 1])]).ShouldBe([MathF.Sqrt(0.5f), MathF.Sqrt(0.5f)], 1e-6f);
        Labels.Parse("person_12").ShouldBe(12);
        Labels.Parse("person_0").ShouldBeNull();
        Labels.Parse("re_1").ShouldBeNull();
    }

    [Fact]
    public void OnlyAFaceOnAPersonCounts()
    {
        SeenObject[] objects = [new("person", 0.66, [186, 109, 89, 265]), new("dog", 0.7, [60, 250, 120, 150])];
        Seeing.OnAPerson(new SeenFace(0.65, [215, 102, 38, 37]), objects, 0.35).ShouldBeTrue();
        Seeing.OnAPerson(new SeenFace(0.6, [80, 269, 68, 69]), objects, 0.35).ShouldBeFalse(); // the dog's
        Seeing.Margin([10, 10, 50, 50], 60, 60).ShouldBe((0, 0, 60, 60));
    }

    private static async Task<JsonElement> MemicSearchAsync(HttpClient client, string query)
    {
        var response = await client.PostAsJsonAsync("/api/v1/search", new { query, top_k = 10 });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.BodyAsync()).GetProperty("results").GetProperty("semantic");
    }
}

/// <summary>
/// Two people's faces written as a parse writes them (descriptions made up, so no vision engine is needed), then found
/// over real HTTP: the store clusters them apart and a search by photo ranks one person's moments, the nearest first.
/// </summary>
public sealed class PeopleRankingTests : IDisposable
{
    private static readonly float[] Alice = Random(1), Bob = Random(2);

    private readonly MnemoServer server = new(configureServices: s =>
        s.AddSingleton(new FaceReader((_, _) => Task.FromResult<IReadOnlyList<float[]>?>([Near(Alice, 3, 0.05f)]))));

    public void Dispose() => server.Dispose();

    private static float[] Random(int seed)
    {
        var random = new Random(seed);
        return Vectors.Unit([.. Enumerable.Range(0, 1024).Select(_ => (float)random.NextDouble() - 0.5f)]);
    }

    /// <summary>v plus <paramref name="noise"/> times a random unit vector: a cosine of about 1 / √(1 + noise²) with v.</summary>
    private static float[] Near(float[] v, int seed, float noise)
    {
        var other = Random(seed);
        return Vectors.Unit([.. v.Select((x, i) => x + noise * other[i])]);
    }

    [Fact]
    public async Task TwoPeopleAreClusteredApartAndAPhotoFindsOnlyItsPersonsMomentsNearestFirst()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Png)).BodyAsync()).GetProperty("data").Str("asset_id");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{id}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") is "SUCCESS" or "FAILED");
        var assetId = long.Parse(id["re_".Length..], System.Globalization.CultureInfo.InvariantCulture);

        using (var scope = server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Mnemo.Server.Storage.MnemoDb>();
            var environment = db.Set<Mnemo.Server.Assets.Asset>().Single(a => a.Id == assetId).EnvironmentId;
            byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xD9];
            NewFace Face(double at, float[] v, double score) => new(at, [10, 10, 40, 40], score, v, jpeg);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<PeopleStore>().ReplaceAsync(db, assetId, environment,
                [Face(0, Near(Alice, 10, 0.6f), 0.9), Face(2, Near(Alice, 11, 0.6f), 0.7), Face(6, Near(Bob, 12, 0.2f), 0.8), Face(8, Near(Alice, 3, 0.05f), 0.6)],
                [0, 2, 4, 6, 8], 10, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var people = (await (await client.GetAsync("/api/v1/people")).BodyAsync()).GetProperty("items").EnumerateArray().ToList();
        people.Select(p => (p.Str("id"), p.GetProperty("face_count").GetInt32(), p.GetProperty("moment_count").GetInt32()))
            .ShouldBe([("person_1", 3, 2), ("person_2", 1, 1)]);
        var bob = (await (await client.GetAsync("/serve/api/v2/people/person_2")).BodyAsync()).GetProperty("data").GetProperty("moments")[0];
        (bob.GetProperty("start_time").GetDouble(), bob.GetProperty("end_time").GetDouble()).ShouldBe((6, 8));

        using var content = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(TestMedia.Png)), "file", "alice.png" } };
        var response = await client.PostAsync("/api/v1/people/search", content);
        var results = (await response.BodyAsync()).GetProperty("results").EnumerateArray().ToList();
        results.Select(r => (r.Str("person_id"), r.GetProperty("start_time").GetDouble(), r.GetProperty("end_time").GetDouble()))
            .ShouldBe([("person_1", 8, 10), ("person_1", 0, 4)]); // the face at 8 s is the photo's; Bob's moment is not alike
        results[0].GetProperty("similarity").GetDouble().ShouldBeGreaterThan(results[1].GetProperty("similarity").GetDouble());
    }
}
