using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Search;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Search;

/// <summary>The index itself, on the server's real SQLite file; the HTTP routes over it are tested per surface.</summary>
public sealed class SearchIndexTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private async Task<T> WithIndexAsync<T>(Func<SearchIndex, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SearchIndex>());
    }

    private static SearchEntry Entry(string text, int chunk, int? page = null, double? start = null, double? end = null) =>
        new() { Text = text, ChunkIndex = chunk, Page = page, StartTime = start, EndTime = end, Kind = start is null ? SearchEntryKind.Chunk : SearchEntryKind.Transcript };

    [Fact]
    public async Task FindsTheEntryWithItsPageOrTimesAndScoresWithinZeroToOne()
    {
        var account = Guid.NewGuid();
        var pdf = Guid.NewGuid();
        var video = Guid.NewGuid();
        await WithIndexAsync(async index =>
        {
            await index.ReplaceAsync(pdf, account, [Entry("The quarterly revenue grew by twelve percent.", 0, page: 1), Entry("Cats sleep sixteen hours a day.", 1, page: 2)], default);
            await index.ReplaceAsync(video, account, [Entry("welcome to the harbour tour", 0, start: 1.5, end: 4.0)], default);
            return 0;
        });

        var hits = await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(account, "cats sleeping", 5, 0), default));
        hits[0].AssetId.ShouldBe(pdf);
        hits[0].Page.ShouldBe(2);
        hits.ShouldAllBe(h => h.Score > 0 && h.Score <= 1);
        hits[0].Score.ShouldBeGreaterThanOrEqualTo(0.5);

        var spoken = await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(account, "harbour tour", 5, 0.4), default));
        spoken.Single().StartTime.ShouldBe(1.5);
        spoken.Single().EndTime.ShouldBe(4.0);

        (await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(Guid.NewGuid(), "cats", 5, 0), default))).ShouldBeEmpty();
        (await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(account, "cats", 5, 0, AssetIds: [video]), default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task ReplacingAndRemovingChangesResultsAtOnce()
    {
        var account = Guid.NewGuid();
        var asset = Guid.NewGuid();
        await WithIndexAsync(async i => { await i.ReplaceAsync(asset, account, [Entry("old words here", 0)], default); return 0; });
        await WithIndexAsync(async i => { await i.ReplaceAsync(asset, account, [Entry("new words here", 0)], default); return 0; });
        (await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(account, "old", 5, 0), default))).ShouldBeEmpty();
        (await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(account, "words", 5, 0), default))).Count.ShouldBe(1);
        await WithIndexAsync(i => i.RemoveAsync(asset, default));
        (await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(account, "words", 5, 0), default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task QuerySyntaxCannotBreakTheIndex()
    {
        var account = Guid.NewGuid();
        (await WithIndexAsync(i => i.SearchAsync(new SearchIndex.Query(account, "\" OR NEAR( * ^ -", 5, 0), default))).ShouldBeEmpty();
    }
}
