using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// An upload URL (v2 signed-url, memic files/init) that expired before any byte arrived, or an upload through it
/// that was cut off (the receiving instance died: its lease on the upload ran out), leaves an asset that would
/// stay pending forever: it is marked failed, saying why. An upload still streaming in renews its lease.
/// </summary>
public sealed partial class ExpiredUploads(IServiceScopeFactory scopes, TimeProvider time, IOptions<AssetOptions> options, ILogger<ExpiredUploads> logger)
    : BackgroundService
{
    public const string Cause = "The upload URL expired before the file's bytes arrived; create a new upload.";

    public const string CutOffCause =
        "The upload was cut off before the whole file arrived (the connection dropped or the server restarted); create a new upload.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ExpiredUploadSweepSeconds), time);
        try
        {
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static Task<int> FailAsync(IQueryable<Asset> assets, string cause, DateTime now, CancellationToken ct) =>
        assets.ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Status, AssetStatus.Failed)
            .SetProperty(a => a.Cause, cause)
            .SetProperty(a => a.UploadTokenHash, (string?)null)
            .SetProperty(a => a.UpdatedAt, now), ct);

    private async Task SweepAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = time.GetUtcNow().UtcDateTime;
            var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
            var lapsed = db.Set<Asset>().Where(a => a.Status == AssetStatus.AwaitingUpload && a.Sha256 == null
                && a.UploadExpiresAt < now && a.DeletedAt == null);
            var expired = await FailAsync(lapsed.Where(a => a.UploadTokenHash != null), Cause, now, ct);
            var cutOff = await FailAsync(lapsed.Where(a => a.UploadTokenHash == null), CutOffCause, now, ct);
            if (cutOff > 0)
            {
                CutOff(logger, cutOff);
            }

            if (expired > 0)
            {
                Expired(logger, expired);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SweepFailed(logger, e);
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Count} upload(s) were cut off mid-way (their instance stopped); their files are marked failed")]
    private static partial void CutOff(ILogger logger, int count);

    [LoggerMessage(LogLevel.Information, "{Count} upload URL(s) expired unused; their files are marked failed")]
    private static partial void Expired(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "The sweep of expired upload URLs failed; it runs again")]
    private static partial void SweepFailed(ILogger logger, Exception exception);
}
