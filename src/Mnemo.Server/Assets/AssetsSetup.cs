using System.Net;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

public static class AssetsSetup
{
    public const string UrlDownloadClient = "upload-url";

    public static WebApplicationBuilder AddAssets(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AssetOptions>().BindConfiguration("Mnemo:Assets");
        builder.Services.AddSingleton<AssetFiles>();
        builder.Services.AddSingleton<FormatDetector>();
        builder.Services.AddSingleton<UploadReceiver>();
        builder.Services.AddScoped<AssetService>();
        builder.Services.AddScoped<AssetQueries>();
        builder.Services.AddScoped<AssetThumbnails>();
        builder.Services.AddScoped<AssetDownload>();
        builder.Services.AddSingleton<AssetReadCache>();
        builder.Services.AddSingleton<AssetWriteWatch>();
        // Every context, whichever provider: writes to assets anywhere invalidate the poll cache.
        builder.Services.ConfigureDbContext<SqliteMnemoDb>(WatchAssetWrites);
        builder.Services.ConfigureDbContext<PostgresMnemoDb>(WatchAssetWrites);
        builder.Services.AddSingleton<UrlDownloader>();
        builder.Services.AddSingleton<ResolveHost>(Dns.GetHostAddressesAsync);
        builder.Services.AddHostedService<ExpiredUploads>();
        builder.Services.AddScoped<StorageDays>();
        if (builder.Configuration.GetValue("Mnemo:Billing:StorageCheckMinutes", 60) > 0)
        {
            builder.Services.AddHostedService<StorageBilling>();
        }

        builder.Services.AddHttpClient(UrlDownloadClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(OutboundGuard.Handler);
        return builder;
    }

    private static void WatchAssetWrites(IServiceProvider services, DbContextOptionsBuilder options) =>
        options.AddInterceptors(services.GetRequiredService<AssetWriteWatch>());
}
