using Mnemo.Server.Assets;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Processing;

public static class ProcessingSetup
{
    public static WebApplicationBuilder AddProcessing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProcessingOptions>().BindConfiguration("Mnemo:Processing");
        builder.Services.AddOptions<CallbackOptions>().BindConfiguration("Mnemo:Callbacks");
        builder.Services.AddOptions<ToolOptions>().BindConfiguration("Mnemo:Processing");
        builder.Services.AddSingleton<ToolRunner>();
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<ProcessingHooks>();
        builder.Services.AddSingleton<MediaParser>();
        builder.Services.AddSingleton<ImageParser>();
        builder.Services.AddSingleton<DocumentParser>();
        builder.Services.AddScoped<ParsePipeline>();
        builder.Services.AddHttpClient(CallbackSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(OutboundGuard.Handler);
        builder.Services.AddHostedService<ParseWorkers>();
        builder.Services.AddHostedService<CallbackSender>();
        return builder;
    }
}
