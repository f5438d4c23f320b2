using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mnemo.Server.Tools;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>The speech engine seam: Moonshine's output, the choice between engines, and both engines through the server.</summary>
public sealed class SpeechEngineTests
{
    private static readonly ToolRunner Tools = new(Options.Create(new ToolOptions()), NullLogger<ToolRunner>.Instance);

    /// <summary>The test sentence alone, as the server hands it to the engine: 16 kHz mono s16le, 1 s of silence first.</summary>
    private static string SentenceWav => TestMedia.Make("speech-sentence.wav", p =>
    {
        var raw = p + ".raw.wav";
        TestMedia.Run("espeak-ng", "-v", "en-us+klatt", "-s", "140", "-w", raw, SpokenAndShownMedia.Sentence);
        TestMedia.Ffmpeg("-i", raw, "-af", "adelay=1000:all=1", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", p);
    });

    [Fact]
    public void MoonshineOutputIsReadAsTimedWords()
    {
        var words = MoonshineEngine.Parse("0.06\t0.24\tThe\r\n0.24\t0.66\tweather,\nnot a word line\n1.00\tx\tbad\n0.75\t0.99\t \n1.2\t1.5\tcold.\n");

        words.ShouldBe([new SpokenWord("The", 0.06, 0.24), new SpokenWord("weather,", 0.24, 0.66), new SpokenWord("cold.", 1.2, 1.5)]);
    }

    [Fact]
    public void MoonshineThatIsNotInstalledFallsBackToPocketsphinxWithAWarning()
    {
        var logger = new ListLogger();
        var empty = Directory.CreateTempSubdirectory("mnemo-no-moonshine-");
        try
        {
            var options = new UnderstandingOptions { SpeechEngine = "moonshine", MoonshineDir = empty.FullName };

            SpeechEngines.Choose(options, Tools, logger).ShouldBeOfType<PocketSphinxEngine>();

            var warning = logger.Lines.ShouldHaveSingleItem();
            warning.Level.ShouldBe(LogLevel.Warning);
            warning.Message.ShouldContain("pocketsphinx transcribes instead");
            warning.Message.ShouldContain(Path.Combine(empty.FullName, "package/dist/model/tiny/quantized/encoder_model.onnx"));
            warning.Message.ShouldContain("scripts/install-moonshine");
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void PocketsphinxIsUsedWhenAskedFor()
    {
        var logger = new ListLogger();

        SpeechEngines.Choose(new UnderstandingOptions { SpeechEngine = "PocketSphinx" }, Tools, logger).ShouldBeOfType<PocketSphinxEngine>();

        logger.Lines.ShouldBeEmpty();
    }

    [Fact]
    public void AnUnknownEngineStopsTheServerFromStarting()
    {
        var e = Should.Throw<Exception>(() => new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Understanding:SpeechEngine"] = "whisper" }).Dispose());

        e.ToString().ShouldContain("SpeechEngine must be 'moonshine' or 'pocketsphinx'");
    }

    [MoonshineFact]
    public async Task MoonshineHearsTheSentenceWithItsWordsInTime()
    {
        var words = await new MoonshineEngine(Tools, MoonshineEngine.DefaultDir).RecognizeAsync(SentenceWav, CancellationToken.None);

        var text = string.Join(' ', words.Select(w => w.Word)).ToLowerInvariant();
        text.ShouldContain("train station tomorrow morning");
        // The sentence is spoken from 1 s to about 4.3 s; word times follow it, in order.
        words[0].StartSeconds.ShouldBeInRange(0.8, 1.4);
        words[^1].EndSeconds.ShouldBeInRange(3.5, 4.8);
        words.Zip(words.Skip(1)).ShouldAllBe(p => p.First.StartSeconds < p.First.EndSeconds && p.First.EndSeconds <= p.Second.StartSeconds);
    }

    [MoonshineFact]
    public async Task MoonshineTranscribesAnUploadedVideo()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Understanding:SpeechEngine"] = "moonshine" });

        var transcript = await TranscribeSpeechVideoAsync(server);

        server.Logs.ShouldContain(l => l.Message == "Speech-to-text engine: moonshine");
        transcript.ToLowerInvariant().ShouldContain("we will meet at the train station tomorrow morning");
    }

    [Fact]
    public async Task PocketsphinxStillTranscribesAnUploadedVideo()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Understanding:SpeechEngine"] = "pocketsphinx" });

        var transcript = await TranscribeSpeechVideoAsync(server);

        server.Logs.ShouldContain(l => l.Message == "Speech-to-text engine: pocketsphinx");
        transcript.ShouldContain("train station");
    }

    private static async Task<string> TranscribeSpeechVideoAsync(MnemoServer server)
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var id = (await (await client.PostFileAsync("/serve/api/v2/upload", SpokenAndShownMedia.SpeechVideo)).BodyAsync()).GetProperty("data").Str("asset_id");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{id}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") is "SUCCESS" or "FAILED", seconds: 120);
        var steps = (await (await client.GetAsync($"/serve/api/v2/{id}/understanding")).BodyAsync()).GetProperty("data").GetProperty("steps");
        steps.EnumerateArray().Single(s => s.Str("name") == "speech").Str("state").ShouldBe("ok");

        var transcript = (await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no=VI{id["re_".Length..]}")).BodyAsync()).GetProperty("data");
        var segments = transcript.GetProperty("transcriptions").EnumerateArray().ToList();
        segments.ShouldNotBeEmpty();
        // The sentence is spoken from 2 s to about 5.3 s of the video.
        segments[0].GetProperty("startTime").GetDouble().ShouldBeGreaterThanOrEqualTo(1.5);
        return string.Join(' ', segments.Select(s => s.Str("content")));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
