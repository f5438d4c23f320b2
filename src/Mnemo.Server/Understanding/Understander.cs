using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;

namespace Mnemo.Server.Understanding;

/// <summary>
/// What a parse adds beyond the file's own facts: the spoken words (speech-to-text), the text shown
/// (OCR) and the objects seen (vision). Each engine is its own step under one time budget per asset; a
/// step that fails or runs out of time is recorded and the others' output is kept. Runs after the format's parser, before the commit.
/// </summary>
public sealed partial class Understander(
    SpeechToText speech, ImageText ocr, Seeing seeing, VisionEngine vision, EngineGate gate, IOptions<UnderstandingOptions> options,
    ILogger<Understander> logger, ImageFeatures features)
{
    /// <param name="starting">Told the name of each step as it starts (the asset's processing_step).</param>
    public async Task<Understood> RunAsync(ParsedFile file, CancellationToken ct, Func<string, Task>? starting = null)
    {
        var o = options.Value;
        var (format, path, media) = (file.Format, file.Path, file.Media);
        var result = new Understood();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(TimeSpan.FromSeconds(o.TimeBudgetSeconds));
        var steps = new StepContext(starting, result, budget.Token, ct);
        var work = Directory.CreateTempSubdirectory("mnemo-understand-");
        try
        {
            var kind = media.Kind ?? format.Kind;
            if (kind is AssetKind.Video or AssetKind.Audio)
            {
                await StepAsync(UnderstandingSteps.Speech, steps, async t =>
                {
                    if (!o.Speech)
                    {
                        return "turned off (Mnemo:Understanding:Speech)";
                    }

                    if (media.AudioCodec is null)
                    {
                        return "no audio track";
                    }

                    if (file.HasTranscript)
                    {
                        return "the file's subtitle track is the transcript";
                    }

                    result.Transcript.AddRange(await speech.TranscribeAsync(path, work.FullName, t));
                    return null;
                });
            }

            if (kind == AssetKind.Video)
            {
                await StepAsync(UnderstandingSteps.Ocr, steps, async t =>
                {
                    if (!o.Ocr)
                    {
                        return "turned off (Mnemo:Understanding:Ocr)";
                    }

                    var times = ImageText.FrameTimes(file.KeyframeTimes, media.DurationSeconds, o.OcrIntervalSeconds, o.MaxOcrFrames);
                    result.Text.AddRange(await ocr.FramesAsync(path, times, work.FullName, t));
                    return null;
                });
                await VisionStepAsync(steps, t =>
                    seeing.VideoAsync(path, file.KeyframeTimes, media.DurationSeconds, work.FullName, t));
                // The frames vision looks at (keyframes at scene changes and the grid), whether or not vision ran.
                await FeaturesStepAsync(steps, path, work.FullName, async t => ImageText.FrameTimes(
                    file.KeyframeTimes.Concat(await seeing.SceneKeyframesAsync(path, t)), media.DurationSeconds, o.VisionIntervalSeconds, o.MaxVisionFrames)
                    .Select(at => (double?)at).ToList());
            }
            else if (kind == AssetKind.Image)
            {
                await StepAsync(UnderstandingSteps.Ocr, steps, async t =>
                {
                    if (!o.Ocr)
                    {
                        return "turned off (Mnemo:Understanding:Ocr)";
                    }

                    result.Text.AddRange(await ocr.ImageAsync(path, work.FullName, t));
                    return null;
                });
                await VisionStepAsync(steps, t => seeing.ImageAsync(path, work.FullName, t));
                await FeaturesStepAsync(steps, path, work.FullName, _ => Task.FromResult<List<double?>>([null]));
            }
            else if (format.Name == "pdf")
            {
                await StepAsync(UnderstandingSteps.Ocr, steps, async t =>
                {
                    var scanned = Enumerable.Range(1, media.PageCount ?? 0).Where(p => !file.PagesWithText.Contains(p)).ToList();
                    if (scanned.Count == 0)
                    {
                        return "every page has a text layer";
                    }

                    if (!o.Ocr)
                    {
                        return "turned off (Mnemo:Understanding:Ocr)";
                    }

                    // Merged after the text layer's chunks; the page number says where each belongs.
                    result.Text.AddRange(await ocr.PdfPagesAsync(path, scanned, work.FullName, t));
                    return null;
                });
            }
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException e)
            {
                WorkFolderKept(logger, e, work.FullName);
            }
        }

        return result;
    }

    /// <summary>Object and face detection; an ok step's detail says how much was looked at and how many faces were seen.</summary>
    private async Task VisionStepAsync(StepContext steps, Func<CancellationToken, Task<Seeing.Seen>> look)
    {
        var result = steps.Result;
        Seeing.Seen? seen = null;
        await StepAsync(UnderstandingSteps.Vision, steps, async t =>
        {
            if (!options.Value.Vision)
            {
                return "turned off (Mnemo:Understanding:Vision)";
            }

            if (!vision.IsInstalled)
            {
                return "vision engine not installed, run scripts/install-vision";
            }

            seen = await look(t);
            result.Seen.AddRange(seen.Spans);
            return null;
        });
        if (seen is not null && result.Steps[^1] is { Name: UnderstandingSteps.Vision, State: StepOutcome.Ok } done)
        {
            result.Steps[^1] = done with
            {
                Detail = string.Create(CultureInfo.InvariantCulture, $"{seen.Pictures} picture(s) looked at, {seen.Spans.Count} object span(s), {seen.Faces} face(s)"),
            };
        }
    }

    /// <summary>A feature vector per picture (the image, or the video's frames at <paramref name="times"/>), for search by image.</summary>
    private async Task FeaturesStepAsync(StepContext steps, string path, string workDir, Func<CancellationToken, Task<List<double?>>> times)
    {
        var found = steps.Result.Features;
        await StepAsync(UnderstandingSteps.Features, steps, async t =>
        {
            if (!features.Enabled)
            {
                return "turned off (Mnemo:Understanding:ImageFeatures:Enabled)";
            }

            if (!features.Available)
            {
                return $"the {ImageFeatures.ModelName} model is not installed";
            }

            foreach (var at in await times(t))
            {
                found.Add(await features.OfAsync(path, at, workDir, t));
            }

            return null;
        });
        if (steps.Result.Steps[^1] is { Name: UnderstandingSteps.Features, State: StepOutcome.Ok } done)
        {
            steps.Result.Steps[^1] = done with { Detail = string.Create(CultureInfo.InvariantCulture, $"{found.Count} picture(s), {ImageFeatures.ModelName}") };
        }
        else
        {
            found.Clear(); // a step cut short keeps nothing: half a video's frames would answer as if they were all
        }
    }

    /// <summary>Runs one step; it returns null when it ran, or why it did not need to.</summary>
    private async Task StepAsync(string name, StepContext steps, Func<CancellationToken, Task<string?>> step)
    {
        var (starting, result, budget, shutdown) = steps;
        var clock = Stopwatch.StartNew();
        if (budget.IsCancellationRequested && !shutdown.IsCancellationRequested)
        {
            result.Steps.Add(new StepOutcome(name, StepOutcome.Skipped, "the asset's time budget was spent", 0));
            return;
        }

        try
        {
            if (starting is not null)
            {
                await starting(name);
            }

            await gate.WaitAsync(budget);
            string? skipped;
            try
            {
                skipped = await step(budget);
            }
            finally
            {
                gate.Release();
            }

            result.Steps.Add(new StepOutcome(name, skipped is null ? StepOutcome.Ok : StepOutcome.Skipped, skipped, clock.ElapsedMilliseconds));
        }
        catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
        {
            result.Steps.Add(new StepOutcome(name, StepOutcome.Failed, $"stopped: over the time budget of {options.Value.TimeBudgetSeconds} s", clock.ElapsedMilliseconds));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever this step broke on, the parse and the other steps stand; the cause is kept with the asset.
            StepFailed(logger, e, name);
            result.Steps.Add(new StepOutcome(name, StepOutcome.Failed, e.Message, clock.ElapsedMilliseconds));
        }
    }

    /// <summary>What every step of one run shares: who is told of each step, the result, the run's time budget and shutdown.</summary>
    private sealed record StepContext(Func<string, Task>? Starting, Understood Result, CancellationToken Budget, CancellationToken Shutdown);

    [LoggerMessage(LogLevel.Warning, "Could not remove the work folder {Folder}")]
    private static partial void WorkFolderKept(ILogger logger, Exception exception, string folder);

    [LoggerMessage(LogLevel.Warning, "Understanding step {Step} failed")]
    private static partial void StepFailed(ILogger logger, Exception exception, string step);
}

/// <summary>Bounds the engine runs (speech, OCR, clip encoding) of this process, whichever worker asks.</summary>
public sealed class EngineGate(IOptions<UnderstandingOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(Math.Max(1, options.Value.MaxConcurrentEngines));

    public Task WaitAsync(CancellationToken ct) => slots.WaitAsync(ct);

    public void Release() => slots.Release();

    public void Dispose() => slots.Dispose();
}
