using Microsoft.Extensions.Options;
using Mnemo.Server.Tools;

using Mnemo.Server.Work;

namespace Mnemo.Server.Understanding;

public static class UnderstandingSetup
{
    /// <summary>Speech-to-text, OCR and vision inside the parse, and the video tasks (clip, split) with their workers.</summary>
    public static WebApplicationBuilder AddUnderstanding(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UnderstandingOptions>().BindConfiguration("Mnemo:Understanding")
            .Validate(o => SpeechEngines.IsKnown(o.SpeechEngine), "Mnemo:Understanding:SpeechEngine must be 'moonshine' or 'pocketsphinx'")
            .ValidateOnStart();
        builder.Services.AddSingleton<ISpeechEngine>(sp => SpeechEngines.Choose(
            sp.GetRequiredService<IOptions<UnderstandingOptions>>().Value,
            sp.GetRequiredService<ToolRunner>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SpeechEngines).FullName!)));
        builder.Services.AddHostedService<SpeechEngineAtStart>();
        builder.Services.AddSingleton<SpeechToText>();
        builder.Services.AddSingleton<ImageText>();
        builder.Services.AddSingleton<VisionEngine>();
        builder.Services.AddHostedService<VisionEngineAtStart>();
        builder.Services.AddSingleton<Seeing>();
        builder.Services.AddOptions<ImageFeatureOptions>().BindConfiguration("Mnemo:Understanding:ImageFeatures");
        builder.Services.AddSingleton<ImageFeatures>();
        builder.Services.AddHostedService<ImageFeaturesAtStart>();
        builder.Services.AddSingleton<EngineGate>();
        builder.Services.AddSingleton<Understander>();
        builder.Services.AddScoped<UnderstandingQueries>();
        builder.Services.AddSingleton<VideoEditor>();
        builder.Services.AddScoped<VideoTasks>();
        builder.Services.AddLeasedWork<VideoTask, VideoTaskWork>(
            sp => VideoTasks.Table(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<UnderstandingOptions>>().Value.TaskLeaseSeconds),
            sp => VideoTaskWork.Policy(sp.GetRequiredService<IOptions<UnderstandingOptions>>().Value));
        return builder;
    }
}
