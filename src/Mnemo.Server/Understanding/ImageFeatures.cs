using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Mnemo.Server.Tools;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Mnemo.Server.Understanding;

/// <summary>A picture's features: an image's (<paramref name="AtSeconds"/> null) or a video frame's, as the model gives them (not normalised).</summary>
public sealed record FrameFeatures(double? AtSeconds, float[] Vector);

/// <summary>
/// What a picture looks like, as a 512-number vector: ResNet18 (the ONNX export the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 ships, with its own preprocessing model) run in process by ONNX Runtime.
/// ffmpeg decodes the picture (an image, or a video's frame at a time), black bars are trimmed, it is scaled to 224x224; the package's
/// preprocessing subtracts the mean image the network was trained with; the network's last pooling layer is the
/// vector. Both models load once, at the first picture; a missing model leaves <see cref="Available"/> false.
/// </summary>
public sealed partial class ImageFeatures(ToolRunner tools, IOptions<ImageFeatureOptions> options, ILogger<ImageFeatures> logger) : IDisposable
{
    public const string ModelName = "ResNet18";
    public const int Side = 224;
    private const string ModelFile = "ResNet18Onnx/ResNet18.onnx";
    private const string PrepFile = "ResNetPrepOnnx/ResNetPreprocess.onnx";

    private readonly Lock gate = new();
    private Models? models;
    private bool failed;

    private sealed record Models(InferenceSession Prep, string PrepInput, InferenceSession Net, string NetInput, string NetOutput, int Dimensions) : IDisposable
    {
        public void Dispose()
        {
            Prep.Dispose();
            Net.Dispose();
        }
    }

    public string Dir => string.IsNullOrWhiteSpace(options.Value.ModelDir)
        ? Path.Combine(AppContext.BaseDirectory, "DnnImageModels")
        : Path.GetFullPath(options.Value.ModelDir);

    public bool Enabled => options.Value.Enabled;

    /// <summary>The model files this machine lacks; empty when both are there.</summary>
    public List<string> Missing() => [.. new[] { ModelFile, PrepFile }.Select(f => Path.Combine(Dir, f)).Where(f => !File.Exists(f))];

    /// <summary>True when the models are loaded or can be (loading them the first time).</summary>
    public bool Available => Load() is not null;

    /// <summary>The vector's length (512), once loaded.</summary>
    public int Dimensions => Load()?.Dimensions ?? 0;

    /// <summary>The picture at <paramref name="path"/> (an image; of a video, the frame at <paramref name="at"/>).</summary>
    public async Task<FrameFeatures> OfAsync(string path, double? at, string workDir, CancellationToken ct)
    {
        var loaded = Load() ?? throw new InvalidOperationException($"The {ModelName} model is not installed ({string.Join(", ", Missing())}).");
        var pixels = await DecodeAsync(path, at, workDir, ct);
        return new FrameFeatures(at, Run(loaded, pixels));
    }

    /// <summary>
    /// ffmpeg decodes the picture to RGB of at most 448 px a side; black bars at its edges are trimmed (a photo in a
    /// wider video frame), then the whole rest (not a centre crop, so nothing of it is lost) is scaled to 224x224.
    /// </summary>
    private async Task<byte[]> DecodeAsync(string path, double? at, string workDir, CancellationToken ct)
    {
        var ppm = Path.Combine(workDir, "features.ppm");
        var seek = at is { } t ? new[] { "-ss", t.ToString("0.###", CultureInfo.InvariantCulture) } : [];
        var run = await tools.RunAsync("ffmpeg",
        [
            "-v", "error", "-nostdin", "-y", .. seek, "-i", path, "-frames:v", "1", "-an", "-sn",
            "-vf", $"scale=w='min({2 * Side}\\,iw)':h='min({2 * Side}\\,ih)':force_original_aspect_ratio=decrease:flags=area", "-pix_fmt", "rgb24", ppm,
        ], ct);
        if (run.ExitCode != 0 || !File.Exists(ppm))
        {
            throw new InvalidOperationException($"ffmpeg cannot decode the picture: {run.LastError()}");
        }

        var picture = Picture.FromPpm(await File.ReadAllBytesAsync(ppm, ct));
        File.Delete(ppm);
        return picture.TrimBars().Resize(Side, Side).Rgb;
    }

    /// <summary>RGB bytes (rows of R,G,B) as the planes R, G, B of 0..255 floats, as ML.NET's pixel extractor hands them to the preprocessing model.</summary>
    private static float[] Run(Models loaded, byte[] rgb)
    {
        const int plane = Side * Side;
        var input = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            input[i] = rgb[3 * i];
            input[plane + i] = rgb[(3 * i) + 1];
            input[(2 * plane) + i] = rgb[(3 * i) + 2];
        }

        int[] shape = [1, 3, Side, Side];
        using var prepared = loaded.Prep.Run([NamedOnnxValue.CreateFromTensor(loaded.PrepInput, new DenseTensor<float>(input, shape))]);
        var normalised = prepared[0].AsTensor<float>().ToArray();
        using var output = loaded.Net.Run([NamedOnnxValue.CreateFromTensor(loaded.NetInput, new DenseTensor<float>(normalised, shape))], [loaded.NetOutput]);
        return output[0].AsTensor<float>().ToArray();
    }

    private Models? Load()
    {
        if (models is not null || failed || !options.Value.Enabled)
        {
            return models;
        }

        lock (gate)
        {
            if (models is not null || failed)
            {
                return models;
            }

            try
            {
                models = Open();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxRuntimeException or InvalidOperationException)
            {
                failed = true;
                NotLoaded(logger, e, ModelName, Dir);
            }

            return models;
        }
    }

    /// <summary>Both sessions, their inputs and output checked: one image of 3x224x224 in, the 512-wide pooled features out.</summary>
    private Models Open()
    {
        if (Missing() is { Count: > 0 } missing)
        {
            throw new InvalidOperationException($"missing {string.Join(", ", missing)}");
        }

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = Math.Max(1, options.Value.Threads), InterOpNumThreads = 1 };
        sessionOptions.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
        var prep = new InferenceSession(Path.Combine(Dir, PrepFile), sessionOptions);
        var net = new InferenceSession(Path.Combine(Dir, ModelFile), sessionOptions);
        try
        {
            var prepInput = OneImageInput(prep, PrepFile);
            var netInput = OneImageInput(net, ModelFile);
            var (netOutput, meta) = net.OutputMetadata.First();
            var dimensions = meta.Dimensions.Where(d => d > 1).Aggregate(1, (a, b) => a * b);
            if (dimensions < 64)
            {
                throw new InvalidOperationException($"{ModelFile}'s output {netOutput} is [{string.Join(",", meta.Dimensions)}], not a feature vector.");
            }

            return new Models(prep, prepInput, net, netInput, netOutput, dimensions);
        }
        catch
        {
            prep.Dispose();
            net.Dispose();
            throw;
        }
    }

    private static string OneImageInput(InferenceSession session, string file)
    {
        var (name, meta) = session.InputMetadata.Single();
        if (meta.ElementType != typeof(float) || meta.Dimensions is not [1 or -1, 3, Side, Side])
        {
            throw new InvalidOperationException($"{file} takes {name} [{string.Join(",", meta.Dimensions)}], not one 3x{Side}x{Side} picture.");
        }

        return name;
    }

    public void Dispose()
    {
        models?.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "The {Model} image model cannot load from {Dir}; search by image is off and the features step is skipped")]
    private static partial void NotLoaded(ILogger logger, Exception exception, string model, string dir);
}

/// <summary>Says at start whether search by image can run, so a missing model is seen before the first upload.</summary>
internal sealed partial class ImageFeaturesAtStart(ImageFeatures features, ILogger<ImageFeaturesAtStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (features.Enabled && features.Missing() is { Count: > 0 } missing)
        {
            Missing(logger, ImageFeatures.ModelName, string.Join(", ", missing));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Search by image is off: the {Model} model files are missing ({Files}); they come with the build (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18)")]
    private static partial void Missing(ILogger logger, string model, string files);
}
