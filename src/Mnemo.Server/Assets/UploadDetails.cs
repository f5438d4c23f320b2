namespace Mnemo.Server.Assets;

/// <summary>What an uploader may say about a file besides its bytes.</summary>
public sealed record UploadDetails
{
    public string Namespace { get; init; } = AssetDefaults.Namespace;
    public string? Tags { get; init; }
    public string? CallbackUrl { get; init; }
    public string? ReferenceId { get; init; }
    public string? MetadataJson { get; init; }
    public DateTime? TakenAt { get; init; }
    public string? CameraModel { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }

    /// <summary>A subtitle file's video: the asset whose transcript it becomes.</summary>
    public long? TranscriptOf { get; init; }
}
