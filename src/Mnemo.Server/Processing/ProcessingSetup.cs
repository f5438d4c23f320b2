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
        builder.Services.AddLeasedWork<CallbackDelivery, CallbackSender>(
            sp => CallbackDelivery.Table(sp.GetRequiredService<TimeProvider>(), CallbackSender.LeaseSeconds(sp.GetRequiredService<IOptions<CallbackOptions>>().Value)),
            sp => CallbackSender.Policy(sp.GetRequiredService<IOptions<CallbackOptions>>().Value));
        builder.Services.AddSingleton(new DerivedRows((db, assetId, ct) =>
            db.Set<CallbackDelivery>().Where(c => c.AssetId == assetId && c.DeliveredAt == null).ExecuteDeleteAsync(ct)));
        // A search by photo reads the photo's faces with the engine that reads an upload's (People does not name it).
        builder.Services.AddSingleton(sp => new People.FaceReader(async (path, ct) =>
        {
            var vision = sp.GetRequiredService<Understanding.VisionEngine>();
            if (!sp.GetRequiredService<IOptions<Understanding.UnderstandingOptions>>().Value.Vision || !vision.IsInstalled)
            {
                return null;
            }

            return [.. (await sp.GetRequiredService<Understanding.Seeing>().FacesAsync(path, ct)).Select(f => f.Embedding!)];
        }));
        return builder;
    }
}
