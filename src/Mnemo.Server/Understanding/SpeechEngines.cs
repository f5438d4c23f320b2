using Mnemo.Server.Tools;

namespace Mnemo.Server.Understanding;

/// <summary>The engine <c>Mnemo:Understanding:SpeechEngine</c> names; Moonshine falls back to pocketsphinx when it is not installed.</summary>
public static partial class SpeechEngines
{
    public const string Moonshine = "moonshine";
    public const string PocketSphinx = "pocketsphinx";

    public static bool IsKnown(string? name) =>
        string.Equals(name, Moonshine, StringComparison.OrdinalIgnoreCase) || string.Equals(name, PocketSphinx, StringComparison.OrdinalIgnoreCase);

    public static string MoonshineDir(UnderstandingOptions options) =>
        string.IsNullOrWhiteSpace(options.MoonshineDir) ? MoonshineEngine.DefaultDir : Path.GetFullPath(options.MoonshineDir);

    public static ISpeechEngine Choose(UnderstandingOptions options, ToolRunner tools, ILogger logger)
    {
        if (string.Equals(options.SpeechEngine, Moonshine, StringComparison.OrdinalIgnoreCase))
        {
            var dir = MoonshineDir(options);
            var missing = MoonshineEngine.Missing(dir);
            if (missing.Count == 0)
            {
                return new MoonshineEngine(tools, dir);
            }

            MoonshineMissing(logger, string.Join(", ", missing), MoonshineEngine.InstallCommand(dir));
        }

        return new PocketSphinxEngine(tools);
    }

    [LoggerMessage(LogLevel.Warning,
        "Speech-to-text engine 'moonshine' is not installed, so pocketsphinx transcribes instead. Missing: {Missing}. Install it with: {Command}")]
    private static partial void MoonshineMissing(ILogger logger, string missing, string command);
}

/// <summary>Picks the engine when the server starts, so a missing install is logged then, not at the first upload.</summary>
internal sealed partial class SpeechEngineAtStart(ISpeechEngine engine, ILogger<SpeechEngineAtStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Chosen(logger, engine.Name);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Speech-to-text engine: {Engine}")]
    private static partial void Chosen(ILogger logger, string engine);
}
