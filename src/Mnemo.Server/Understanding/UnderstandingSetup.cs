namespace Mnemo.Server.Understanding;

public static class UnderstandingSetup
{
    /// <summary>Speech-to-text and OCR inside the parse, and the video tasks (clip, split) with their workers.</summary>
    public static WebApplicationBuilder AddUnderstanding(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UnderstandingOptions>().BindConfiguration("Mnemo:Understanding");
        builder.Services.AddSingleton<ISpeechEngine, PocketSphinxEngine>();
        builder.Services.AddSingleton<SpeechToText>();
        builder.Services.AddSingleton<ImageText>();
        builder.Services.AddSingleton<EngineGate>();
        builder.Services.AddSingleton<Understander>();
        builder.Services.AddSingleton<VideoEditor>();
        builder.Services.AddSingleton<VideoTaskSignal>();
        builder.Services.AddScoped<VideoTasks>();
        builder.Services.AddHostedService<VideoTaskWorkers>();
        return builder;
    }
}
