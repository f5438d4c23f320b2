namespace Mnemo.Server.Understanding;

/// <summary>One recognised word and where it is in the audio.</summary>
public sealed record SpokenWord(string Word, double StartSeconds, double EndSeconds);

/// <summary>
/// The speech-to-text seam: a 16 kHz mono 16-bit WAV in, timed words out. <see cref="MoonshineEngine"/> (npm)
/// and <see cref="PocketSphinxEngine"/> (Debian); <see cref="SpeechEngines"/> picks one; docs/understanding.md compares them.
/// </summary>
public interface ISpeechEngine
{
    string Name { get; }

    Task<IReadOnlyList<SpokenWord>> RecognizeAsync(string wavPath, CancellationToken ct);
}
