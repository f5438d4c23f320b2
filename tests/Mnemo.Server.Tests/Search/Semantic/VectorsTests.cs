using Mnemo.Server.Search.Semantic;

namespace Mnemo.Server.Tests.Search.Semantic;

public sealed class VectorsTests
{
    [Fact]
    public void BytesRoundTripAndDotAndNormalize()
    {
        float[] v = [3f, 4f, 0f, -1.5f];
        var bytes = Vectors.ToBytes(v);
        bytes.Length.ShouldBe(16);
        Vectors.FromBytes(bytes).ShouldBe(v);
        Should.Throw<ArgumentException>(() => Vectors.FromBytes(new byte[5]));

        float[] w = [3f, 4f];
        Vectors.Normalize(w);
        w.ShouldBe([0.6f, 0.8f], 1e-6);
        Vectors.Dot(w, w).ShouldBe(1f, 1e-6f);
        float[] zero = [0f, 0f];
        Vectors.Normalize(zero);
        zero.ShouldBe([0f, 0f]);
    }

    [Fact]
    public void TheFactoryBuildsWhatKindNames()
    {
        EmbedderFactory.Create(new EmbedderOptions { Kind = "None" }, null).ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => EmbedderFactory.Create(new EmbedderOptions { Kind = "Word2Vec" }, null));
        Should.Throw<InvalidOperationException>(() => EmbedderFactory.Create(new EmbedderOptions { Kind = "Onnx" }, null));
        Should.Throw<ArgumentException>(() => EmbedderFactory.Create(new EmbedderOptions { Kind = "Http", Url = "http://127.0.0.1:9/v1" }, null));
        using var http = EmbedderFactory.Create(new EmbedderOptions { Kind = "http", Url = "http://127.0.0.1:9/v1", HttpModel = "m", HttpDimensions = 3 }, null);
        http.ShouldBeOfType<HttpEmbedder>().Dimensions.ShouldBe(3);
    }
}
