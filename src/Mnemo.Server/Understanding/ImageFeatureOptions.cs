namespace Mnemo.Server.Understanding;

/// <summary>Features of pictures for search by image (section Mnemo:Understanding:ImageFeatures); docs/search.md explains them.</summary>
public sealed class ImageFeatureOptions
{
    /// <summary>Compute a feature vector for every image and for the frames of videos vision looks at.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The folder holding <c>ResNet18Onnx/ResNet18.onnx</c> and <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>; empty means the
    /// <c>DnnImageModels</c> folder beside the server, where the build copies them from the NuGet package.
    /// </summary>
    public string ModelDir { get; set; } = "";

    /// <summary>ONNX Runtime threads per picture; one, as each engine run inside a parse is single-threaded.</summary>
    public int Threads { get; set; } = 1;
}
