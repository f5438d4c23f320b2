using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Understanding;

public enum VideoTaskState
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>A video/clip or video/split request: durable, claimed with a lease like a parse job, its files beside the asset.</summary>
public sealed class VideoTask : Work.ILeasedRow
{
    public long Id { get; init; }

    /// <summary>The wire id, <c>vt_</c> + 32 hex digits.</summary>
    public required string TaskId { get; init; }

    public Guid AccountId { get; init; }
    public long AssetId { get; init; }

    /// <summary><c>clip</c> (one file per scene) or <c>split</c> (one file per <see cref="SegmentSeconds"/>).</summary>
    public required string Kind { get; init; }

    public double? SegmentSeconds { get; init; }
    public VideoTaskState State { get; set; }
    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The clips made: a JSON array of <see cref="VideoClip"/>.</summary>
    public string? ClipsJson { get; set; }

    public string? Error { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One file a task made: its place in the source video and its name in the task's folder.</summary>
public sealed record VideoClip(int Index, double StartSeconds, double EndSeconds, string FileName, long Size);

public static class UnderstandingModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<VideoTask>(e =>
        {
            e.ToTable("video_tasks");
            e.Property(t => t.TaskId).HasMaxLength(40);
            e.Property(t => t.Kind).HasMaxLength(16);
            e.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(t => t.TaskId).IsUnique();
            e.HasIndex(t => new { t.State, t.Id });
            e.HasIndex(t => t.AssetId);
        });
    }
}
