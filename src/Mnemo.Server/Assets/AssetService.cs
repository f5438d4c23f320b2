using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;
using Mnemo.Server.Storage;
using Mnemo.Server.Work;

namespace Mnemo.Server.Assets;

public enum DeleteOutcome
{
    Deleted,
    AlreadyDeleted,
}

/// <summary>The asset rules, once, for every surface: accept, find, delete, parse again.</summary>
public sealed class AssetService(
    MnemoDb db, AssetFiles files, JobQueue queue, IndexingCharges indexing, CurrentRequest http, TimeProvider time,
    IOptions<AssetOptions> options, IServiceScopeFactory scopes, IEnumerable<DerivedRows> derived)
{
    public sealed record SignedUpload(Asset Asset, string Token, int ExpiresIn);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The asset and its parse job commit together, then the bytes move into place.</summary>
    public async Task<Asset> AcceptAsync(Caller caller, IncomingFile file, UploadDetails details, CancellationToken ct)
    {
        var asset = NewAsset(caller, file.FileName, details);
        try
        {
            await CheckTranscriptTargetAsync(caller, file, details, ct);
            Fill(asset, file);
            asset.Status = AssetStatus.Queued;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Set<Asset>().Add(asset);
            await db.SaveChangesAsync(ct);
            await files.MoveInAsync(file.Path, asset.Id, ct);
            await EnqueuePaidAsync(asset, Charges.ActorOf(caller), ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            AssetFiles.DeleteQuietly(file.Path);
            if (asset.Id > 0)
            {
                await files.DeleteAllAsync(asset.Id);
            }

            throw;
        }

        queue.Notify();
        return asset;
    }

    /// <summary>An asset whose bytes arrive later through a one-time URL on this server.</summary>
    public async Task<SignedUpload> CreateSignedAsync(
        Caller caller, string fileName, long? declaredSize, string? declaredMime, UploadDetails details, CancellationToken ct)
    {
        var token = Base64UrlToken();
        var asset = NewAsset(caller, fileName, details);
        asset.Status = AssetStatus.AwaitingUpload;
        asset.DeclaredSize = declaredSize;
        asset.DeclaredMimeType = declaredMime;
        asset.UploadTokenHash = HashOf(token);
        asset.UploadExpiresAt = Now.AddSeconds(options.Value.SignedUrlSeconds);
        db.Set<Asset>().Add(asset);
        await db.SaveChangesAsync(ct);
        return new SignedUpload(asset, token, options.Value.SignedUrlSeconds);
    }

    /// <summary>
    /// Takes the bytes for a signed URL. The token is spent before the first byte is read, so a URL
    /// takes one upload. With <paramref name="enqueue"/> the parse starts; memic waits for confirm.
    /// While the bytes stream in, <see cref="Asset.UploadExpiresAt"/> is this instance's lease on the
    /// upload, renewed as it goes: if the instance dies, the lease runs out and <see cref="ExpiredUploads"/>
    /// marks the file failed, instead of it waiting forever.
    /// </summary>
    public async Task<Asset> ReceiveSignedAsync(
        string token, Stream body, UploadReceiver receiver, long? ceiling, bool enqueue, CancellationToken ct)
    {
        var hash = HashOf(token);
        var now = Now;
        var asset = await db.Set<Asset>().FirstOrDefaultAsync(a => a.UploadTokenHash == hash && a.DeletedAt == null, ct);
        if (asset is null || asset.UploadExpiresAt < now || asset.Status != AssetStatus.AwaitingUpload)
        {
            throw new ApiException(new ApiError(ErrorCatalog.Forbidden, "This upload URL is unknown, used or expired."));
        }

        var lease = options.Value.UploadLeaseSeconds;
        var spent = await db.Set<Asset>().Where(a => a.Id == asset.Id && a.UploadTokenHash == hash)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.UploadTokenHash, (string?)null)
                .SetProperty(a => a.UploadExpiresAt, now.AddSeconds(lease)), ct);
        if (spent == 0)
        {
            throw new ApiException(new ApiError(ErrorCatalog.Forbidden, "This upload URL was already used."));
        }

        // Renewed until the bytes are stored and the asset committed (a large file's move into S3 takes a while).
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = WorkerLoops.KeepLeaseAsync(scopes, lease, (services, token) => RenewUploadLeaseAsync(services, asset.Id, lease, token),
            _ => { }, receiving.Token);
        try
        {
            await StoreSignedAsync(asset, body, receiver, ceiling, enqueue, ct);
        }
        finally
        {
            await receiving.CancelAsync();
            await renewing;
        }

        if (enqueue)
        {
            queue.Notify();
        }

        return asset;
    }

    private async Task StoreSignedAsync(Asset asset, Stream body, UploadReceiver receiver, long? ceiling, bool enqueue, CancellationToken ct)
    {
        var limit = Math.Min(asset.DeclaredSize ?? long.MaxValue, ceiling ?? long.MaxValue);
        IncomingFile file;
        try
        {
            file = await receiver.ReceiveAsync(body, asset.OriginalFilename, limit == long.MaxValue ? null : limit, ct);
        }
        catch (ApiException rejected)
        {
            // The URL is spent: the file says why, for whoever polls it.
            var failedAt = Now;
            await db.Set<Asset>().Where(a => a.Id == asset.Id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Status, AssetStatus.Failed)
                .SetProperty(a => a.Cause, "Upload rejected: " + (rejected.Error.Detail ?? rejected.Error.Kind.Msg))
                .SetProperty(a => a.UpdatedAt, failedAt), CancellationToken.None);
            throw;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            Fill(asset, file);
            await files.MoveInAsync(file.Path, asset.Id, ct);
            if (enqueue)
            {
                asset.Status = AssetStatus.Queued;
                await EnqueuePaidAsync(asset, SignedUrlActor, ct);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            AssetFiles.DeleteQuietly(file.Path);
            await files.DeleteAllAsync(asset.Id);
            throw;
        }
    }

    /// <summary>memic confirm: the uploaded bytes start parsing. A second confirm answers the file as it is.</summary>
    public async Task<Asset> ConfirmAsync(Caller caller, Asset asset, CancellationToken ct)
    {
        if (asset.Status != AssetStatus.AwaitingUpload)
        {
            return asset;
        }

        if (asset.Sha256 is null)
        {
            throw new ApiException(ApiError.InvalidRequest("Nothing was uploaded yet: PUT the bytes to upload_url first."));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tracked = await db.Set<Asset>().SingleAsync(a => a.Id == asset.Id, ct);
        tracked.Status = AssetStatus.Queued;
        tracked.UpdatedAt = Now;
        await EnqueuePaidAsync(tracked, Charges.ActorOf(caller), ct);
        await transaction.CommitAsync(ct);
        queue.Notify();
        return tracked;
    }

    /// <summary>Finds an asset of the key's environment, tombstones included (the caller decides what a deleted one means).</summary>
    public Task<Asset?> FindAsync(Caller caller, long? id, Guid? fileId, CancellationToken ct) =>
        db.Set<Asset>().AsNoTracking().FirstOrDefaultAsync(a =>
            a.EnvironmentId == caller.EnvironmentId && (id != null ? a.Id == id : a.FileId == fileId), ct);

    /// <summary>Finds a live asset of the key's environment or answers asset_not_found.</summary>
    public async Task<Asset> GetAsync(Caller caller, long? id, Guid? fileId, CancellationToken ct)
    {
        var asset = await FindAsync(caller, id, fileId, ct);
        if (asset is null || asset.DeletedAt is not null)
        {
            throw NotFound();
        }

        return asset;
    }

    public static ApiException NotFound() => new(new ApiError(ErrorCatalog.AssetNotFound, "Asset not found or deleted."));

    /// <summary>Removes the bytes and everything derived; the row stays as a tombstone.</summary>
    public async Task<DeleteOutcome> DeleteAsync(Asset asset, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = Now;
        var marked = await db.Set<Asset>().Where(a => a.Id == asset.Id && a.DeletedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.DeletedAt, now)
                .SetProperty(a => a.UpdatedAt, now)
                .SetProperty(a => a.UploadTokenHash, (string?)null)
                .SetProperty(a => a.ChunkCount, 0)
                .SetProperty(a => a.ThumbnailCount, 0), ct);
        if (marked == 0)
        {
            return DeleteOutcome.AlreadyDeleted;
        }

        await db.Set<AssetChunk>().Where(c => c.AssetId == asset.Id).ExecuteDeleteAsync(ct);
        foreach (var rows in derived)
        {
            await rows.DeleteAsync(db, asset.Id, ct);
        }

        await db.Set<AssetThumbnail>().Where(t => t.AssetId == asset.Id).ExecuteDeleteAsync(ct);
        await db.Set<AssetStep>().Where(s => s.AssetId == asset.Id).ExecuteDeleteAsync(ct);
        await db.Set<Job>().Where(j => j.AssetId == asset.Id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        await files.DeleteAllAsync(asset.Id);
        return DeleteOutcome.Deleted;
    }

    /// <summary>The operator's re-parse: any asset whose bytes arrived, in any state.</summary>
    public Task<Asset> ReparseAsync(long id, CancellationToken ct) => RequeueAsync(id, "admin", null, ct);

    /// <summary>The owner's re-parse (of a failed asset, or a ready one to parse again): paid like the first parse.</summary>
    public Task<Asset> ReparseAsync(Caller caller, Asset owned, CancellationToken ct) =>
        RequeueAsync(owned.Id, Charges.ActorOf(caller), [AssetStatus.Failed, AssetStatus.Ready], ct);

    private async Task<Asset> RequeueAsync(long id, string actor, AssetStatus[]? from, CancellationToken ct)
    {
        var asset = await db.Set<Asset>().FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, ct) ?? throw NotFound();
        if (from is not null && !from.Contains(asset.Status))
        {
            throw new ApiException(new ApiError(ErrorCatalog.FileStillProcessing,
                "The file is still uploading or processing; re-parse it once it is ready or failed."));
        }

        if (asset.Status == AssetStatus.AwaitingUpload || asset.Sha256 is null)
        {
            throw new ApiException(ApiError.InvalidRequest("The file's bytes were never uploaded; there is nothing to parse."));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        asset.Status = AssetStatus.Queued;
        asset.Cause = null;
        asset.ProcessingStep = null;
        asset.UpdatedAt = Now;
        await EnqueuePaidAsync(asset, actor, ct);
        await transaction.CommitAsync(ct);
        queue.Notify();
        return asset;
    }

    private const string SignedUrlActor = "signed-url";

    private Task<int> RenewUploadLeaseAsync(IServiceProvider services, long assetId, double leaseSeconds, CancellationToken ct)
    {
        var until = Now.AddSeconds(leaseSeconds);
        return services.GetRequiredService<MnemoDb>().Set<Asset>()
            .Where(a => a.Id == assetId && a.Status == AssetStatus.AwaitingUpload && a.Sha256 == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.UploadExpiresAt, until), ct);
    }

    /// <summary>
    /// Queues the parse and reserves its price in the caller's transaction: without the credits
    /// (insufficient_credits) neither the asset nor its job commits.
    /// </summary>
    private async Task EnqueuePaidAsync(Asset asset, string actor, CancellationToken ct)
    {
        var job = await queue.EnqueueAsync(db, asset.Id, ct);
        await db.SaveChangesAsync(ct);
        if (job is not null)
        {
            await indexing.ReserveAsync(asset, job.Id, actor, http.HttpContext?.TraceIdentifier, ct);
        }
    }

    private async Task CheckTranscriptTargetAsync(Caller caller, IncomingFile file, UploadDetails details, CancellationToken ct)
    {
        if (details.TranscriptOf is not { } target)
        {
            return;
        }

        if (!file.Format.IsSubtitle)
        {
            throw new ApiException(ApiError.Unprocessable("Only an SRT or VTT file can be attached to a video as its transcript."));
        }

        var video = await FindAsync(caller, target, null, ct);
        if (video is null || video.DeletedAt is not null)
        {
            throw NotFound();
        }
    }

    private Asset NewAsset(Caller caller, string fileName, UploadDetails details) => new()
    {
        AccountId = caller.AccountId,
        EnvironmentId = caller.EnvironmentId,
        EnvironmentSlug = caller.EnvironmentSlug,
        Namespace = details.Namespace,
        OriginalFilename = string.IsNullOrWhiteSpace(fileName) ? "upload" : fileName,
        Tags = details.Tags,
        CallbackUrl = details.CallbackUrl,
        ReferenceId = details.ReferenceId,
        MetadataJson = details.MetadataJson,
        Media = new MediaInfo
        {
            TakenAt = details.TakenAt, CameraModel = details.CameraModel, Latitude = details.Latitude, Longitude = details.Longitude,
        },
        TranscriptOf = details.TranscriptOf,
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private void Fill(Asset asset, IncomingFile file)
    {
        asset.Size = file.Size;
        asset.Sha256 = file.Sha256;
        asset.Media.Kind = file.Format.Kind;
        asset.Format = file.Format.Name;
        asset.MimeType = file.Format.MimeType;
        asset.UpdatedAt = Now;
    }

    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
