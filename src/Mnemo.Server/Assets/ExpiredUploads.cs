using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// An upload URL (v2 signed-url, memic files/init) that expired before any byte arrived leaves an asset that would
/// stay pending forever: it is marked failed, saying why. A URL already in use (its token spent) is left alone.
/// </summary>
public sealed class ExpiredUploads(IServiceScopeFactory scopes, TimeProvider time, IOptions<AssetOptions> options, ILogger<ExpiredUploads> logger)
    : BackgroundService
{
    public const string Cause = "The upload URL expired before the file's bytes arrived; create a new upload.";

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

    private async Task SweepAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = time.GetUtcNow().UtcDateTime;
            var expired = await scope.ServiceProvider.GetRequiredService<MnemoDb>().Set<Asset>()
                .Where(a => a.Status == AssetStatus.AwaitingUpload && a.UploadTokenHash != null && a.UploadExpiresAt < now && a.DeletedAt == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.Status, AssetStatus.Failed)
                    .SetProperty(a => a.Cause, Cause)
                    .SetProperty(a => a.UploadTokenHash, (string?)null)
                    .SetProperty(a => a.UpdatedAt, now), ct);
            if (expired > 0)
            {
                logger.LogInformation("{Count} upload URL(s) expired unused; their files are marked failed", expired);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The sweep of expired upload URLs failed; it runs again");
        }
    }
}
