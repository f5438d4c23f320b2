using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;
using Mnemo.Server.Work;

namespace Mnemo.Server.Processing;

public static class ProcessingSetup
{
    public static WebApplicationBuilder AddProcessing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProcessingOptions>().BindConfiguration("Mnemo:Processing");
        builder.Services.AddOptions<CallbackOptions>().BindConfiguration("Mnemo:Callbacks");
        builder.Services.AddOptions<ToolOptions>().BindConfiguration("Mnemo:Processing");
        builder.Services.AddSingleton<ToolRunner>();
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddSingleton<ProcessingHooks>();
        builder.Services.AddSingleton<MediaParser>();
        builder.Services.AddSingleton<ImageParser>();
        builder.Services.AddSingleton<DocumentParser>();
        builder.Services.AddScoped<ParsePipeline>();
        builder.Services.AddHostedService<LeftoverSweep>();
        builder.Services.AddLeasedWork<Job, ParseWork>(
            sp => Job.Table(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ProcessingOptions>>().Value.LeaseSeconds),
            sp => ParseWork.Policy(sp.GetRequiredService<IOptions<ProcessingOptions>>().Value));
        builder.Services.AddHttpClient(CallbackSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(OutboundGuard.Handler);
        builder.Services.AddHostedService<CallbackSender>();
        builder.Services.AddSingleton(new DerivedRows((db, assetId, ct) =>
            db.Set<CallbackDelivery>().Where(c => c.AssetId == assetId && c.DeliveredAt == null).ExecuteDeleteAsync(ct)));
        return builder;
    }
}
