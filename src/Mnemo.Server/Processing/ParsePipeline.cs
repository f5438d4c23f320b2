using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Search;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Processing;

/// <summary>
/// One run of one job: parse the original with the right tool, then write everything in one
/// transaction that first removes what an earlier run wrote, so a re-run never duplicates data.
/// The transaction also marks the job done, only while this worker holds its lease.
/// </summary>
public sealed partial class ParsePipeline(
    MnemoDb db, AssetFiles files, Work.LeaseTable<Work.Job> jobs, MediaParser media, ImageParser images, DocumentParser documents,
    Understanding.Understander understander, SearchIndex index, Billing.IndexingCharges indexing, ProcessingHooks hooks,
    Microsoft.Extensions.Options.IOptions<ProcessingOptions> options, TimeProvider time, ILogger<ParsePipeline> logger,
    CallbackBody callbackBody, Search.Semantic.Embeddings embeddings)
{
    public async Task RunAsync(ParseJob job, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var asset = await db.Set<Asset>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == job.AssetId, ct);
        if (asset is null || asset.DeletedAt is not null)
        {
            await jobs.EndAsync(db, job.Lease, Work.Job.Done("asset deleted", time.GetUtcNow().UtcDateTime), ct);
            return;
        }

        await db.Set<Asset>().Where(a => a.Id == asset.Id && a.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssetStatus.Processing).SetProperty(a => a.ProcessingStep, ProcessingSteps.Reading), ct);
        await files.Store.DeleteFolderAsync(AssetFiles.ThumbnailsOf(asset.Id), ct); // an earlier run's
        using var scratch = files.NewScratch();
        var thumbnails = Directory.CreateDirectory(Path.Combine(scratch.Path, "thumbs")).FullName;
        var result = new ParseResult();
        IReadOnlyDictionary<string, float[]>? embedded = null;
        string? cause = null;
        var original = await files.Store.LocalPathAsync(AssetFiles.OriginalOf(asset.Id), scratch.Path, ct);
        try
        {
            var budget = new ParseBudget(indexing, asset, job.JobId);
            await ParseAsync(asset, original, thumbnails, result, budget, ct);
            if (result.Text.Count + result.Transcript.Count > options.Value.MaxChunksPerAsset)
            {
                throw new ParseFailedException(
                    $"The file yields {result.Text.Count + result.Transcript.Count} chunks, over the limit of {options.Value.MaxChunksPerAsset} chunks per file; nothing was indexed.");
            }

            // Paid before a chunk is written, so the settle never comes out short.
            await budget.CoverAsync(result.Media.Kind ?? asset.Media.Kind, result.Media.DurationSeconds, result.Media.PageCount, TextChars(result), ct);
            await files.PutFolderAsync(thumbnails, AssetFiles.ThumbnailsOf(asset.Id), ct);
            embedded = await EmbedAsync(asset, result, ct);
        }
        catch (ParseFailedException failed)
        {
            // The tools name the stored path and their own pointers; the user knows the file by its name.
            // A failed asset keeps no derived files, only its original.
            cause = ToolPointer().Replace(failed.Message.Replace(original, asset.OriginalFilename), "");
        }

        await ShowStepAsync(asset.Id, ProcessingSteps.Indexing, ct);
        await hooks.BeforeCommit(asset.Id, ct);
        var parsedMs = clock.ElapsedMilliseconds;
        // The parse is done; a shutdown now waits the few milliseconds the write takes rather than waste it.
        await CommitAsync(job, asset.Id, cause is null ? result : null, embedded, cause, ProcessingSteps.Reading, CancellationToken.None);
        Hosting.MnemoMetrics.StepDuration.Record(parsedMs / 1000.0, new("step", "parse"), new("outcome", cause is null ? "ok" : "failed"));
        foreach (var step in result.Steps)
        {
            Hosting.MnemoMetrics.StepDuration.Record(step.Milliseconds / 1000.0, new("step", step.Name), new("outcome", step.State));
        }

        Parsed(logger, job.JobId, asset.Id, parsedMs, clock.ElapsedMilliseconds - parsedMs);
    }

    /// <summary>Ends the asset as failed (a bad file, or retries exhausted), keeping its bytes.</summary>
    public Task FailAsync(ParseJob job, string cause, CancellationToken ct) => CommitAsync(job, job.AssetId, null, null, cause, null, ct);

    /// <summary>
    /// Vectors for every text the asset's search entries will hold, before the commit (which then only writes
    /// them). A model that fails leaves the entries to the backfill; it never fails the parse.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, float[]>?> EmbedAsync(Asset asset, ParseResult result, CancellationToken ct)
    {
        if (!embeddings.Enabled)
        {
            return null;
        }

        await ShowStepAsync(asset.Id, ProcessingSteps.Embedding, ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var embedded = await embeddings.EmbedAsync(
                result.Text.Select(t => t.Content).Concat(result.Transcript.Select(t => t.Content)).Concat(result.Seen.Select(s => s.Text))
                    .Concat(SearchIndex.NameAndTags(asset)), ct);
            Hosting.MnemoMetrics.StepDuration.Record(clock.Elapsed.TotalSeconds, new("step", ProcessingSteps.Embedding), new("outcome", "ok"));
            return embedded;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Hosting.MnemoMetrics.StepDuration.Record(clock.Elapsed.TotalSeconds, new("step", ProcessingSteps.Embedding), new("outcome", "failed"));
            EmbeddingFailed(logger, e, asset.Id);
            return null;
        }
    }

    private async Task ParseAsync(Asset asset, string path, string thumbnails, ParseResult result, ParseBudget budget, CancellationToken ct)
    {
        var format = FileFormat.ByName(asset.Format) ?? throw new ParseFailedException($"Unknown stored format '{asset.Format}'.");
        switch (format.Kind)
        {
            case AssetKind.Video or AssetKind.Audio:
                await media.ParseAsync(path, thumbnails, result, budget, ct);
                break;
            case AssetKind.Image:
                await images.ParseAsync(path, thumbnails, result, ct);
                break;
            default:
                await documents.ParseAsync(path, format, result, budget, ct);
                break;
        }

        // Speech-to-text, OCR and vision: each its own step; their failures are recorded, never fail the parse.
        var pagesWithText = result.Text.Where(p => p.PageNumber is not null).Select(p => p.PageNumber!.Value).ToHashSet();
        var understood = await understander.RunAsync(
            new(format, path, result.Media, [.. result.Thumbnails.Select(t => t.AtSeconds)], result.Transcript.Count > 0, pagesWithText),
            ct, step => ShowStepAsync(asset.Id, step, ct));
        result.Text.AddRange(understood.Text);
        result.Transcript.AddRange(understood.Transcript);
        result.Seen.AddRange(understood.Seen);
        result.Features.AddRange(understood.Features);
        result.Steps.AddRange(understood.Steps);
    }

    /// <summary>Outside the commit, so pollers see it while the step runs.</summary>
    private Task<int> ShowStepAsync(long assetId, string step, CancellationToken ct) =>
        db.Set<Asset>().Where(a => a.Id == assetId && a.Status == AssetStatus.Processing)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ProcessingStep, step), ct);

    /// <summary>
    /// Writes the outcome. A failed asset keeps the step that failed in <c>ProcessingStep</c>
    /// (<paramref name="failedStep"/>, else the step it was in), so memic can name it.
    /// </summary>
    private async Task CommitAsync(
        ParseJob job, long assetId, ParseResult? result, IReadOnlyDictionary<string, float[]>? embedded, string? cause, string? failedStep, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The asset row is locked first, as a delete locks it first: taking the job row first
        // deadlocked against a delete on PostgreSQL (each waiting for the other's row).
        await db.Set<Asset>().Where(a => a.Id == assetId).ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedAt, a => a.UpdatedAt), ct);
        await hooks.InsideCommit(assetId);
        if (await jobs.EndAsync(db, job.Lease, Work.Job.Done(cause, now), ct) == 0)
        {
            // Lost the lease: another worker runs it again, or the asset was deleted meanwhile (its job with it).
            if (await db.Set<Asset>().AnyAsync(a => a.Id == assetId && a.DeletedAt != null, ct))
            {
                await files.DeleteAllAsync(assetId);
            }

            LeaseLost(logger, job.JobId);
            return;
        }

        var asset = await db.Set<Asset>().FirstAsync(a => a.Id == assetId, ct);
        if (asset.DeletedAt is not null)
        {
            await transaction.CommitAsync(ct);
            await files.DeleteAllAsync(assetId); // deleted while parsing: drop what this run wrote
            return;
        }

        await db.Set<AssetChunk>().Where(c => c.AssetId == assetId).ExecuteDeleteAsync(ct);
        await db.Set<AssetThumbnail>().Where(t => t.AssetId == assetId).ExecuteDeleteAsync(ct);
        await db.Set<AssetStep>().Where(t => t.AssetId == assetId).ExecuteDeleteAsync(ct);
        await Search.Images.ImageFeaturesModel.ReplaceAsync(db, assetId, result?.Features ?? [], ct);
        if (result is not null)
        {
            db.Set<AssetStep>().AddRange(result.Steps.Select(s => new AssetStep
            {
                AssetId = assetId, Name = s.Name, State = s.State, Detail = s.Detail, Milliseconds = s.Milliseconds,
            }));
            Apply(asset.Media, result.Media);
            asset.ChunkCount = AddChunks(assetId, result.Text, ForAnotherAsset(asset, result) ? [] : result.Transcript, result.Seen);
            asset.ThumbnailCount = result.Thumbnails.Count;
            db.Set<AssetThumbnail>().AddRange(result.Thumbnails.Select((t, i) =>
                new AssetThumbnail { AssetId = assetId, Index = i, AtSeconds = t.AtSeconds, FileName = t.FileName }));
            if (ForAnotherAsset(asset, result))
            {
                await AttachTranscriptAsync(asset.TranscriptOf!.Value, result.Transcript, now, ct);
            }
        }
        else
        {
            asset.ChunkCount = 0;
            asset.ThumbnailCount = 0;
        }

        asset.Status = cause is null ? AssetStatus.Ready : AssetStatus.Failed;
        asset.ProcessingStep = cause is null ? null : failedStep ?? asset.ProcessingStep ?? ProcessingSteps.Reading;
        asset.Cause = cause;
        asset.UpdatedAt = now;
        await (cause is null ? indexing.SettleAsync(asset, job.JobId, TextChars(result!), ct) : indexing.RefundAsync(asset, job.JobId, cause, ct));
        if (!string.IsNullOrEmpty(asset.CallbackUrl))
        {
            db.Set<CallbackDelivery>().Add(new CallbackDelivery
            {
                AssetId = assetId,
                Url = asset.CallbackUrl,
                Body = callbackBody(new AssetFinished(assetId, asset.Status)),
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(ct);
        await index.ReindexAsync(assetId, embedded, ct);
        var other = result is not null && ForAnotherAsset(asset, result) ? asset.TranscriptOf : null;
        if (other is { } video)
        {
            await index.ReindexAsync(video, embedded, ct);
        }

        await transaction.CommitAsync(ct);
        await PublishAsync(assetId);
        if (other is { } changed)
        {
            await PublishAsync(changed);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            Ended(logger, assetId, asset.Status, cause is null ? "" : " (" + cause + ")");
        }
    }

    /// <summary>The vector index of other instances catches up within a sync; failing here only delays this one's.</summary>
    private async Task PublishAsync(long assetId)
    {
        try
        {
            await index.PublishAsync(assetId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            PublishFailed(logger, e, assetId);
        }
    }

    private int AddChunks(long assetId, List<TextPiece> text, List<TranscriptSegment> transcript, List<Understanding.SeenSpan> seen)
    {
        db.Set<AssetChunk>().AddRange(text.Select((t, i) => new AssetChunk
        {
            AssetId = assetId, Index = i, Content = t.Content, PageNumber = t.PageNumber, Offset = t.Offset,
            StartSeconds = t.AtSeconds, EndSeconds = t.AtSeconds, // text read from a video frame: the frame's time
        }));
        db.Set<AssetChunk>().AddRange(transcript.Select((s, i) => new AssetChunk
        {
            AssetId = assetId, Index = i, Content = s.Content, IsTranscript = true, StartSeconds = s.StartSeconds, EndSeconds = s.EndSeconds,
        }));
        // After the text, in the same numbering: what was seen, each span with its times and its confidence.
        db.Set<AssetChunk>().AddRange(seen.Select((s, i) => new AssetChunk
        {
            AssetId = assetId, Index = text.Count + i, Content = s.Text, Confidence = Math.Round(s.Score, 3),
            StartSeconds = s.StartSeconds, EndSeconds = s.EndSeconds,
        }));
        return text.Count + transcript.Count + seen.Count;
    }

    /// <summary>An SRT/VTT uploaded for a video becomes that video's transcript, replacing any earlier one.</summary>
    private async Task AttachTranscriptAsync(long videoId, List<TranscriptSegment> transcript, DateTime now, CancellationToken ct)
    {
        var video = await db.Set<Asset>().FirstOrDefaultAsync(a => a.Id == videoId && a.DeletedAt == null, ct);
        if (video is null)
        {
            return;
        }

        var removed = await db.Set<AssetChunk>().Where(c => c.AssetId == videoId && c.IsTranscript).ExecuteDeleteAsync(ct);
        video.ChunkCount = video.ChunkCount - removed + AddChunks(videoId, [], transcript, []);
        video.UpdatedAt = now;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" @ 0x[0-9a-f]+")]
    private static partial System.Text.RegularExpressions.Regex ToolPointer();

    private static long TextChars(ParseResult result) => result.Text.Sum(t => (long)t.Content.Length);

    /// <summary>A subtitle file uploaded for a video gives its cues to that video, not to itself.</summary>
    private static bool ForAnotherAsset(Asset asset, ParseResult result) => asset.TranscriptOf is not null && result.Transcript.Count > 0;

    private static void Apply(MediaInfo asset, MediaInfo found)
    {
        asset.Kind = found.Kind ?? asset.Kind;
        asset.DurationSeconds = found.DurationSeconds;
        asset.Fps = found.Fps;
        asset.Width = found.Width;
        asset.Height = found.Height;
        asset.Rotation = found.Rotation;
        asset.VideoCodec = found.VideoCodec;
        asset.AudioCodec = found.AudioCodec;
        asset.Bitrate = found.Bitrate;
        asset.AudioChannels = found.AudioChannels;
        asset.PageCount = found.PageCount;
        // What the uploader said wins over what the file says.
        asset.TakenAt ??= found.TakenAt;
        asset.CameraModel ??= found.CameraModel;
        asset.Latitude ??= found.Latitude;
        asset.Longitude ??= found.Longitude;
    }

    [LoggerMessage(LogLevel.Debug, "Job {JobId} of asset {AssetId}: parsed in {ParsedMs} ms, committed in {CommitMs} ms")]
    private static partial void Parsed(ILogger logger, long jobId, long assetId, long parsedMs, long commitMs);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} lost its lease before committing; nothing was written")]
    private static partial void LeaseLost(ILogger logger, long jobId);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: embedding failed; its search entries wait for the backfill")]
    private static partial void EmbeddingFailed(ILogger logger, Exception exception, long assetId);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: its vectors could not be loaded after the commit; the sync loads them")]
    private static partial void PublishFailed(ILogger logger, Exception exception, long assetId);

    [LoggerMessage(LogLevel.Information, "Asset {AssetId} parsed: {Status}{Cause}")]
    private static partial void Ended(ILogger logger, long assetId, AssetStatus status, string cause);
}
