using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Crash;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Tests.Scale;

namespace Mnemo.Server.Tests.Search;

/// <summary>
/// Search by meaning over real HTTP: a question in other words than its passage finds it at the Memic SDK's
/// default min_score 0.7, a question about nothing in the library finds nothing at 0.7, a deleted asset never
/// answers, the backfill embeds what an older version stored and resumes after a kill, two instances agree.
/// </summary>
public sealed class SemanticSearchTests : IDisposable
{
    public const string Giraffes =
        "Giraffes are the tallest living land animals. Their very long necks let them browse leaves high in acacia trees "
        + "on the African savanna, where they live in loose herds that form and break up through the day.";

    public const string Bread =
        "To bake a loaf, mix flour, water, salt and yeast, knead the dough for ten minutes, let it rise until it has doubled, "
        + "then put it into a hot oven until the crust is deep brown and the loaf sounds hollow when tapped.";

    public const string Taxes =
        "Quarterly estimated tax payments are due in April, June, September and January. A late payment accrues interest "
        + "and a penalty, so self-employed people often set aside a share of every invoice.";

    /// <summary>No content word of it is in <see cref="Giraffes"/>.</summary>
    public const string GiraffeQuestion = "Which creature reaches higher than any other to eat from treetops?";

    public const string UnrelatedQuestion = "How do I replace worn brake pads on a mountain bicycle?";

    private readonly List<string> files = [];

    public void Dispose()
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AQuestionInOtherWordsFindsItsPassageAbove07OnMemicAndV1AndAnUnrelatedOneFindsNothing()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 100_000);
        using var client = server.WithKey(account.Key);
        var statuses = new HashSet<string>();
        var giraffes = await UploadReadyAsync(client, "giraffes.txt", Giraffes, statuses);
        await UploadReadyAsync(client, "bread.txt", Bread);
        await UploadReadyAsync(client, "taxes.txt", Taxes);

        var file = await (await client.GetAsync($"/api/v1/files/{giraffes}")).BodyAsync();
        file.GetProperty("total_embeddings").GetInt32().ShouldBe(2, "its one chunk and its name");
        statuses.ShouldNotContain(s => s.EndsWith("_failed", StringComparison.Ordinal));

        var found = await MemicSearchAsync(client, GiraffeQuestion, 0.7);
        found.GetProperty("routing").Str("route").ShouldBe("hybrid");
        var hits = found.GetProperty("results").GetProperty("semantic");
        hits.GetArrayLength().ShouldBeGreaterThan(0);
        hits[0].GetProperty("file_id").GetGuid().ShouldBe(giraffes);
        hits[0].Str("content").ShouldContain("tallest living land animals");
        hits[0].GetProperty("score").GetDouble().ShouldBeInRange(0.7, 1.0);
        hits.EnumerateArray().ShouldAllBe(h => h.GetProperty("file_id").GetGuid() == giraffes);

        var nothing = await MemicSearchAsync(client, UnrelatedQuestion, 0.7);
        nothing.GetProperty("results").GetProperty("semantic").GetArrayLength().ShouldBe(0);
        var below = (await MemicSearchAsync(client, UnrelatedQuestion, 0)).GetProperty("results").GetProperty("semantic");
        below.EnumerateArray().ShouldAllBe(h => h.GetProperty("score").GetDouble() < 0.5);

        var clips = await (await client.PostAsJsonAsync("/serve/api/v1/search",
            new { search_param = GiraffeQuestion, search_type = "BY_VIDEO", top_k = 3, filtering_level = "high" })).BodyAsync();
        clips.Str("code").ShouldBe("0000");
        clips.GetProperty("data")[0].Str("videoName").ShouldBe("giraffes.txt");
        clips.GetProperty("data")[0].GetProperty("score").GetDouble().ShouldBeGreaterThanOrEqualTo(0.7);
        var v1Nothing = await (await client.PostAsJsonAsync("/serve/api/v1/search",
            new { search_param = UnrelatedQuestion, search_type = "BY_VIDEO", top_k = 3, filtering_level = "high" })).BodyAsync();
        v1Nothing.GetProperty("data").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task FiltersApplyInsideTheVectorSearch()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 100_000);
        using var client = server.WithKey(account.Key);
        var giraffes = await UploadReadyAsync(client, "giraffes.txt", Giraffes,
            fields: new Dictionary<string, string> { ["metadata"] = """{"category":"animals","document_type":"note"}""" });
        var bread = await UploadReadyAsync(client, "bread.txt", Bread,
            fields: new Dictionary<string, string> { ["metadata"] = """{"category":"food","document_type":"note"}""" });

        var food = await (await client.PostAsJsonAsync("/api/v1/search",
            new { query = GiraffeQuestion, top_k = 5, metadata_filters = new { category = "food" } })).BodyAsync();
        food.GetProperty("results").GetProperty("semantic").EnumerateArray().ShouldAllBe(h => h.GetProperty("file_id").GetGuid() == bread);
        var animals = await (await client.PostAsJsonAsync("/api/v1/search",
            new { query = GiraffeQuestion, top_k = 5, min_score = 0.7, metadata_filters = new { category = "animals", document_type = "note" } })).BodyAsync();
        animals.GetProperty("results").GetProperty("semantic")[0].Str("category").ShouldBe("animals");
        var none = await (await client.PostAsJsonAsync("/api/v1/search",
            new { query = GiraffeQuestion, top_k = 5, metadata_filters = new { category = "animals", document_type = "report" } })).BodyAsync();
        none.GetProperty("results").GetProperty("semantic").GetArrayLength().ShouldBe(0);

        var onlyBread = await (await client.PostAsJsonAsync("/api/v1/search",
            new { query = GiraffeQuestion, top_k = 5, file_ids = new[] { bread } })).BodyAsync();
        onlyBread.GetProperty("results").GetProperty("semantic").EnumerateArray()
            .ShouldAllBe(h => h.GetProperty("file_id").GetGuid() == bread);
        var onlyGiraffes = await (await client.PostAsJsonAsync("/api/v1/search",
            new { query = GiraffeQuestion, top_k = 1, min_score = 0.7, file_ids = new[] { giraffes } })).BodyAsync();
        onlyGiraffes.GetProperty("results").GetProperty("semantic")[0].GetProperty("file_id").GetGuid().ShouldBe(giraffes);
        var onPage9 = await (await client.PostAsJsonAsync("/api/v1/search",
            new { query = GiraffeQuestion, top_k = 5, metadata_filters = new { page_number = 9 } })).BodyAsync();
        onPage9.GetProperty("results").GetProperty("semantic").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ADeletedAssetsVectorsNeverAnswer()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 100_000);
        using var client = server.WithKey(account.Key);
        var giraffes = await UploadReadyAsync(client, "giraffes.txt", Giraffes);
        (await MemicSearchAsync(client, GiraffeQuestion, 0.7)).GetProperty("results").GetProperty("semantic").GetArrayLength().ShouldBeGreaterThan(0);

        (await client.DeleteAsync($"/api/v1/files/{giraffes}")).StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.NoContent);
        var after = await MemicSearchAsync(client, GiraffeQuestion, 0);
        after.GetProperty("results").GetProperty("semantic").EnumerateArray()
            .ShouldNotContain(h => h.GetProperty("file_id").GetGuid() == giraffes);
    }

    [Fact]
    public async Task TwoInstancesAgreeWithinASecond()
    {
        using var store = new SharedStore();
        using var a = new MnemoServer(store.Settings());
        using var b = new MnemoServer(store.Settings(new Dictionary<string, string?> { ["Mnemo:Processing:Workers"] = "0" }));
        var account = await a.CreateAccountAsync(credits: 100_000);
        using var onA = a.WithKey(account.Key);
        using var onB = b.WithKey(account.Key);
        (await MemicSearchAsync(onB, GiraffeQuestion, 0.7)).GetProperty("results").GetProperty("semantic").GetArrayLength().ShouldBe(0);

        var giraffes = await UploadReadyAsync(onA, "giraffes.txt", Giraffes);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var hits = (await MemicSearchAsync(onB, GiraffeQuestion, 0.7)).GetProperty("results").GetProperty("semantic");
            if (hits.GetArrayLength() > 0 && hits[0].GetProperty("file_id").GetGuid() == giraffes)
            {
                break;
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.5), "instance B found the new passage by meaning within a second (plus the poll)");
            await Task.Delay(50);
        }

        (await onA.DeleteAsync($"/api/v1/files/{giraffes}")).IsSuccessStatusCode.ShouldBeTrue();
        (await MemicSearchAsync(onB, GiraffeQuestion, 0)).GetProperty("results").GetProperty("semantic").EnumerateArray()
            .ShouldNotContain(h => h.GetProperty("file_id").GetGuid() == giraffes);
    }

    [Fact]
    public async Task TheBackfillEmbedsWhatAnOlderVersionStoredAndResumesAfterAKill()
    {
        await using var rig = new CrashRig(new Dictionary<string, string>
        {
            ["Mnemo__Search__Embedder__Kind"] = "None",
            ["Mnemo__Search__BackfillBatch"] = "2",
            ["Mnemo__Search__BackfillIdleSeconds"] = "0.2",
        });
        await rig.StartAsync();
        var account = await rig.CreateAccountAsync(100_000);
        using (var client = rig.Client(account.Key))
        {
            for (var i = 0; i < 12; i++)
            {
                await UploadReadyAsync(client, $"bread-{i}.txt", Bread + $" Recipe {i}.");
            }

            await UploadReadyAsync(client, "giraffes.txt", Giraffes);
            (await MemicSearchAsync(client, GiraffeQuestion, 0.7)).GetProperty("routing").Str("route").ShouldBe("keyword");
        }

        const string Waiting = "SELECT COUNT(*) FROM search_entries WHERE embedding IS NULL AND kind <> 'Metadata'";
        var total = await rig.ScalarAsync(Waiting);
        total.ShouldBe(26);

        rig.Set("Mnemo__Search__Embedder__Kind", "MiniLM");
        await rig.CrashAndRestartAsync();
        var clock = Stopwatch.StartNew();
        while (await rig.ScalarAsync(Waiting) == total)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "the backfill started");
            await Task.Delay(20);
        }

        await rig.CrashAndRestartAsync(); // SIGKILL mid-backfill
        clock.Restart();
        while (await rig.ScalarAsync(Waiting) > 0)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "the backfill resumed and finished");
            await Task.Delay(100);
        }

        (await rig.ScalarAsync("SELECT SUM(\"EmbeddingCount\") FROM assets")).ShouldBe(total, "each vector counted once");
        using var after = rig.Client(account.Key);
        var found = await PollSearchAsync(after, GiraffeQuestion, 0.7);
        found.GetProperty("routing").Str("route").ShouldBe("hybrid");
        found.GetProperty("results").GetProperty("semantic")[0].Str("file_name").ShouldBe("giraffes.txt");
    }

    [Fact]
    public async Task WordsRankedAmongTheBestMatchesOfTheWholeStoreStillFindAnotherEnvironmentsFewMatches()
    {
        // One tenant's 2,000 matching chunks (4,000 short paragraphs, two a chunk) outnumber FTS5's best-of cut (8 × 200 = 1,600); another
        // tenant's one matching chunk must still be found (the search ranks again through the filter).
        using var server = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Search:Embedder:Kind"] = "None",
            ["Mnemo:Processing:ChunkChars"] = "60",
        });
        var crowd = await server.CreateAccountAsync(credits: 1_000_000);
        var lone = await server.CreateAccountAsync(credits: 1_000_000);
        using var crowded = server.WithKey(crowd.Key);
        using var alone = server.WithKey(lone.Key);
        await UploadReadyAsync(crowded, "zebras.txt", string.Join("\n\n", Enumerable.Range(0, 4000).Select(i => $"zebra zebra stripes, herd {i}.")));
        var mine = await UploadReadyAsync(alone, "one.txt", "A single zebra grazes by the river among tall grass and reeds at dawn.");

        var crowdHits = (await MemicSearchAsync(crowded, "zebra", 0)).GetProperty("results").GetProperty("semantic");
        crowdHits.GetArrayLength().ShouldBe(5);
        var hits = (await MemicSearchAsync(alone, "zebra", 0)).GetProperty("results").GetProperty("semantic");
        hits.GetArrayLength().ShouldBe(1);
        hits[0].GetProperty("file_id").GetGuid().ShouldBe(mine);
    }

    [Fact]
    public async Task OnSqliteAWordInHalfTheEntriesIsNotLookedUpByButStillCountsInTheScore()
    {
        // Every chunk says "software"; one says "kettle" too. Matching by "kettle" alone finds the same best hit with the
        // same score (both words count against its text), and the chunks holding only the common word are not candidates.
        using var server = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Search:Embedder:Kind"] = "None",
            ["Mnemo:Processing:ChunkChars"] = "60",
            ["Mnemo:Search:CommonWordMinEntries"] = "1",
        });
        var account = await server.CreateAccountAsync(credits: 1_000_000);
        using var client = server.WithKey(account.Key);
        var paragraphs = Enumerable.Range(0, 40).Select(i => $"The software of release {i} ships as it is.").Append("This software boils water in a kettle.");
        var file = await UploadReadyAsync(client, "notes.txt", string.Join("\n\n", paragraphs));

        var hits = (await MemicSearchAsync(client, "software kettle", 0)).GetProperty("results").GetProperty("semantic");
        // PostgreSQL's ts_rank_cd has no IDF to floor: it looks up every word, so the common word's chunks come after.
        hits.GetArrayLength().ShouldBe(TestDatabases.ServerConnectionString is null ? 1 : 5);
        hits[0].GetProperty("file_id").GetGuid().ShouldBe(file);
        hits[0].Str("content").ShouldContain("kettle");
        hits[0].GetProperty("score").GetDouble().ShouldBeGreaterThanOrEqualTo(0.7);
        (await MemicSearchAsync(client, "software", 0)).GetProperty("results").GetProperty("semantic").GetArrayLength().ShouldBe(5);
    }

    private static async Task<JsonElement> PollSearchAsync(HttpClient client, string query, double minScore)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = await MemicSearchAsync(client, query, minScore);
            if (found.GetProperty("results").GetProperty("semantic").GetArrayLength() > 0 || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                return found;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> MemicSearchAsync(HttpClient client, string query, double minScore)
    {
        var response = await client.PostAsJsonAsync("/api/v1/search", new { query, top_k = 5, min_score = minScore });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.BodyAsync();
    }

    private async Task<Guid> UploadReadyAsync(
        HttpClient client, string name, string text, HashSet<string>? statuses = null, IDictionary<string, string>? fields = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mnemo-semantic-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, text);
        files.Add(path);
        var created = await (await client.PostFileAsync("/api/v1/files", path, fileName: name, fields: fields)).BodyAsync();
        var id = created.GetProperty("id").GetGuid();
        var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}/status"), b =>
        {
            statuses?.Add(b.Str("status"));
            return b.Str("status") is "ready" || b.Str("status").EndsWith("_failed", StringComparison.Ordinal);
        });
        file.Str("status").ShouldBe("ready");
        return id;
    }
}
