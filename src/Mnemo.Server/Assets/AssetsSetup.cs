using Microsoft.Extensions.Options;

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
        builder.Services.AddScoped<AssetDownload>();
        builder.Services.AddSingleton<UrlDownloader>();
        builder.Services.AddHostedService<ExpiredUploads>();
        builder.Services.AddHttpClient(UrlDownloadClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => OutboundGuard.Handler(services.GetRequiredService<IOptions<AssetOptions>>().Value.AllowPrivateUrls));
        return builder;
    }
}
