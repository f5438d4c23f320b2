using Mnemo.Server.Search.Semantic;

namespace Mnemo.Server.Tests.Search.Semantic;

/// <summary>The built-in all-MiniLM-L6-v2, read from the package's DLL and run in process, offline.</summary>
public sealed class OnnxEmbedderTests(MiniLmFixture miniLm) : IClassFixture<MiniLmFixture>
{
    private readonly OnnxEmbedder embedder = miniLm.Embedder;

    private async Task<float[]> EmbedAsync(string text) => (await embedder.EmbedAsync([text], CancellationToken.None))[0];

    private static void ShouldBeUnitVectors(float[][] vectors)
    {
        foreach (var vector in vectors)
        {
            vector.Length.ShouldBe(384);
            Vectors.Dot(vector, vector).ShouldBe(1f, 1e-4f);
        }
    }

    [Fact]
    public async Task VectorsAreUnitLengthWith384Dimensions()
    {
        embedder.Model.ShouldBe("all-MiniLM-L6-v2");
        embedder.Dimensions.ShouldBe(384);
        var vectors = await embedder.EmbedAsync(["A dog runs in the park", "Ein Hund läuft im Park", "🙂 ½ ∑"], CancellationToken.None);
        vectors.Length.ShouldBe(3);
        ShouldBeUnitVectors(vectors);
    }

    [Fact]
    public async Task SimilarSentencesAreCloserThanUnrelatedOnes()
    {
        var dog = await EmbedAsync("A dog runs in the park");
        var puppy = await EmbedAsync("A puppy is playing outside");
        var tax = await EmbedAsync("The quarterly tax filing is due");
        var near = Vectors.Dot(dog, puppy);
        var far = Vectors.Dot(dog, tax);
        near.ShouldBeGreaterThan(far + 0.2f, $"dog·puppy {near}, dog·tax {far}");
    }

    [Fact]
    public async Task ABatchGivesTheSameVectorsAsOneByOne()
    {
        string[] texts =
        [
            "A dog runs in the park",
            "short",
            "The GNU General Public License is a free, copyleft license for software and other kinds of works.",
            "",
            "Quarterly tax filing is due on the fifteenth; late filings pay a penalty of five percent per month.",
        ];
        var batched = await embedder.EmbedAsync(texts, CancellationToken.None);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await EmbedAsync(texts[i]);
            for (var d = 0; d < single.Length; d++)
            {
                batched[i][d].ShouldBe(single[d], 1e-4f, $"text {i}, dimension {d}");
            }
        }
    }

    [Fact]
    public async Task CaseAndAccentsDoNotMatterToTheUncasedModelUnderInvariantGlobalization()
    {
        var plain = await EmbedAsync("the cafe is open");
        var composed = await EmbedAsync("The Café is OPEN");
        var decomposed = await EmbedAsync("THE CAFE\u0301 IS OPEN");
        Vectors.Dot(plain, composed).ShouldBe(1f, 1e-4f);
        Vectors.Dot(plain, decomposed).ShouldBe(1f, 1e-4f);
    }

    [Fact]
    public async Task TheEmptyStringAndNoTextsWork()
    {
        ShouldBeUnitVectors([await EmbedAsync("")]);
        (await embedder.EmbedAsync([], CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ALongTextIsTruncatedToTheWindow()
    {
        var words = string.Join(' ', Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? "river" : "boat"));
        var opening = string.Join(' ', Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? "river" : "boat"));
        var text = (words + " " + new string('x', 5000))[..5000];
        text.Length.ShouldBe(5000);
        var vectors = await embedder.EmbedAsync([text, text + " and a different ending that the model never sees"], CancellationToken.None);
        ShouldBeUnitVectors(vectors);
        // Only the first 254 word pieces count, so what follows them changes nothing.
        Vectors.Dot(vectors[0], vectors[1]).ShouldBe(1f, 1e-4f);
        var openingOnly = await EmbedAsync(opening);
        Vectors.Dot(vectors[0], openingOnly).ShouldBe(1f, 1e-4f);
    }

    [Fact]
    public async Task ConcurrentCallersGetTheirOwnVectors()
    {
        var dog = await EmbedAsync("A dog runs in the park");
        var tax = await EmbedAsync("The quarterly tax filing is due");
        var calls = Enumerable.Range(0, 8).Select(i => embedder.EmbedAsync([i % 2 == 0 ? "A dog runs in the park" : "The quarterly tax filing is due"], CancellationToken.None));
        var results = await Task.WhenAll(calls);
        for (var i = 0; i < results.Length; i++)
        {
            Vectors.Dot(results[i][0], i % 2 == 0 ? dog : tax).ShouldBe(1f, 1e-4f);
        }
    }

    [Fact]
    public async Task ACancelledCallThrows()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => embedder.EmbedAsync(["text"], cancelled.Token));
    }
}
