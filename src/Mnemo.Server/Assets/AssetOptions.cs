namespace Mnemo.Server.Assets;

/// <summary>Upload limits and URLs (section Mnemo:Assets).</summary>
public sealed class AssetOptions
{
    public long VideoMaxBytes { get; set; } = 3L * 1024 * 1024 * 1024;
    public long AudioMaxBytes { get; set; } = 3L * 1024 * 1024 * 1024;
    public long ImageMaxBytes { get; set; } = 20L * 1024 * 1024;
    public long DocumentMaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>memic accepts files up to this size on every route (its documented 100 MB).</summary>
    public long MemicMaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>How long a signed upload URL (v2 signed-url, memic files/init) stays valid.</summary>
    public int SignedUrlSeconds { get; set; } = 3600;

    /// <summary>
    /// While a signed upload's bytes stream in, the receiving instance renews its claim on it every third of
    /// this; when the instance dies, the upload is marked failed once the claim has run out.
    /// </summary>
    public double UploadLeaseSeconds { get; set; } = 60;

    /// <summary>How often assets whose upload URL expired unused, or whose upload was cut off, are marked failed.</summary>
    public double ExpiredUploadSweepSeconds { get; set; } = 30;

    /// <summary>v1 upload_url: the whole download must finish within this.</summary>
    public int UrlDownloadTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// How long a status poll may answer from this instance's cache (0 to 1 s). A write on this instance
    /// is seen at once; one on another instance (PostgreSQL, several instances) within this time.
    /// </summary>
    public double PollCacheSeconds { get; set; } = 1;

    /// <summary>
    /// The plain (non-file) fields of one multipart or form body: how many, how long each, how long together.
    /// They are held in memory until the upload is accepted, so these bound what one request can take.
    /// </summary>
    public int FormMaxFields { get; set; } = 100;

    public int FormMaxFieldBytes { get; set; } = 64 * 1024;

    public int FormMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Lets upload_url and callbacks reach loopback and private networks (off: only public addresses).</summary>
    public bool AllowPrivateUrls { get; set; }

    public long MaxBytesFor(AssetKind? kind) => kind switch
    {
        AssetKind.Video => VideoMaxBytes,
        AssetKind.Audio => AudioMaxBytes,
        AssetKind.Image => ImageMaxBytes,
        AssetKind.Document => DocumentMaxBytes,
        _ => Math.Max(Math.Max(VideoMaxBytes, AudioMaxBytes), Math.Max(ImageMaxBytes, DocumentMaxBytes)),
    };
}
