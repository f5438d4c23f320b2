namespace Mnemo.Server.Understanding;

/// <summary>Speech-to-text, OCR and video tasks (section Mnemo:Understanding); docs/understanding.md explains them.</summary>
public sealed class UnderstandingOptions
{
    /// <summary>Transcribe the audio of videos and audio files that carry no subtitle track.</summary>
    public bool Speech { get; set; } = true;

    /// <summary>
    /// <c>moonshine</c> (Moonshine tiny on Node, installed from npm) or <c>pocketsphinx</c> (Debian). Moonshine is
    /// the default; when its files or Node are missing the server logs a warning at start and uses pocketsphinx.
    /// </summary>
    public string SpeechEngine { get; set; } = SpeechEngines.Moonshine;

    /// <summary>Where Moonshine is installed; empty means ~/.local/share/mnemo/moonshine.</summary>
    public string MoonshineDir { get; set; } = "";

    /// <summary>Read the text shown in images, video keyframes and scanned PDF pages.</summary>
    public bool Ocr { get; set; } = true;

    /// <summary>Detect the objects (and count the faces) seen in images and video frames; needs scripts/install-vision.</summary>
    public bool Vision { get; set; } = true;

    /// <summary>Where the vision engine is installed; empty means ~/.local/share/mnemo/vision.</summary>
    public string VisionDir { get; set; } = "";

    /// <summary>Besides the keyframes at scene changes, vision looks at a frame every this many seconds; 0 looks at keyframes only.</summary>
    public double VisionIntervalSeconds { get; set; } = 2;

    /// <summary>Frames of one video vision looks at, at most (spread over the whole video when there are more).</summary>
    public int MaxVisionFrames { get; set; } = 90;

    /// <summary>
    /// The detector's confidence (0..1) from which an object counts as seen. centernet's scores run low; on the
    /// labelled darknet photos of bench/vision/detect.py 0.3 found more than 0.35 at the same precision (docs/benchmarks.md).
    /// </summary>
    public double MinVisionScore { get; set; } = 0.3;

    /// <summary>All understanding steps of one asset together; what is left when it runs out is skipped and recorded.</summary>
    public double TimeBudgetSeconds { get; set; } = 900;

    /// <summary>Engine runs (pocketsphinx, tesseract, clip encoding) at once in this process: sized for 2 cores.</summary>
    public int MaxConcurrentEngines { get; set; } = 2;

    /// <summary>A transcript segment ends at a pause this long, or when it reaches <see cref="SegmentMaxSeconds"/>.</summary>
    public double SegmentPauseSeconds { get; set; } = 0.8;

    public double SegmentMaxSeconds { get; set; } = 10;

    /// <summary>Frames of one video read by OCR, at most (spread over the whole video when there are more).</summary>
    public int MaxOcrFrames { get; set; } = 60;

    /// <summary>
    /// Besides the keyframes at scene changes, OCR reads a frame every this many seconds, so text that appears
    /// within a shot (a caption, a title fading in) is read too; 0 reads the keyframes only.
    /// </summary>
    public double OcrIntervalSeconds { get; set; } = 5;

    /// <summary>Scanned PDF pages read by OCR, at most.</summary>
    public int MaxOcrPages { get; set; } = 50;

    /// <summary>Tesseract's per-word confidence (0..100) below which a word is dropped as noise.</summary>
    public double MinOcrConfidence { get; set; } = 60;

    /// <summary>Video tasks (clip, split) run by this many workers in this process; 0 leaves them to other instances.</summary>
    public int TaskWorkers { get; set; } = 1;

    public double TaskLeaseSeconds { get; set; } = 60;

    public int TaskMaxAttempts { get; set; } = 3;

    /// <summary>ffmpeg's scene score (0..1) above which a frame starts a new scene (video/clip).</summary>
    public double SceneThreshold { get; set; } = 0.3;

    /// <summary>Scene cuts closer than this to the previous one are merged into it.</summary>
    public double MinSceneSeconds { get; set; } = 1;

    /// <summary>Files one task may produce, at most.</summary>
    public int MaxClips { get; set; } = 500;
}
