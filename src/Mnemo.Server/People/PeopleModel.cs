using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.People;

/// <summary>
/// One person of a project environment: the faces that joined it (<see cref="Face"/>), their mean description
/// (<see cref="Centroid"/>, unit length) and the best of them as its picture (<see cref="CoverFaceId"/>). Its label,
/// <c>person_</c> + <see cref="Number"/>, never changes; <see cref="Name"/> is what a user calls it.
/// </summary>
public sealed class Person
{
    public long Id { get; init; }
    public Guid EnvironmentId { get; init; }
    public int Number { get; init; }
    public string? Name { get; set; }

    /// <summary>The unit-length mean of its faces' descriptions (float32 bytes): what a new face is compared with.</summary>
    public required byte[] Centroid { get; set; }

    public int FaceCount { get; set; }
    public long? CoverFaceId { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    public string Label => Labels.Of(Number);
}

/// <summary>One face seen in an asset: when (null in an image), where, how sure the detector was, its description and thumbnail.</summary>
public sealed class Face
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public Guid EnvironmentId { get; init; }
    public long PersonId { get; set; }
    public long MomentId { get; set; }
    public double? AtSeconds { get; init; }
    public int X { get; init; }
    public int Y { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public double Score { get; init; }

    /// <summary>faceres' description, unit length (float32 bytes).</summary>
    public required byte[] Embedding { get; init; }

    /// <summary>A small JPEG of the face.</summary>
    public required byte[] Thumbnail { get; init; }
}

/// <summary>A span of an asset one person is seen in: consecutive pictures showing them (both times null in an image).</summary>
public sealed class PersonMoment
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public long AssetId { get; init; }
    public Guid EnvironmentId { get; init; }
    public double? StartSeconds { get; init; }
    public double? EndSeconds { get; init; }

    /// <summary>The detector's best score over the span's faces.</summary>
    public double Score { get; init; }

    public int FaceCount { get; init; }
    public List<Face> Faces { get; init; } = [];
}

/// <summary>The next person number of an environment; its row is also what two commits clustering there take in turn.</summary>
public sealed class PeopleCounter
{
    public Guid EnvironmentId { get; init; }
    public int Next { get; set; }
}

public static class Labels
{
    public const string Prefix = "person_";

    public static string Of(int number) => Prefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int? Parse(string? label) =>
        label is not null && label.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(label.AsSpan(Prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : null;
}

public static class PeopleModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Person>(e =>
        {
            e.ToTable("people");
            e.Property(p => p.Name).HasMaxLength(200);
            e.HasIndex(p => new { p.EnvironmentId, p.Number }).IsUnique();
            e.Ignore(p => p.Label);
        });
        model.Entity<PersonMoment>(e =>
        {
            e.ToTable("person_moments");
            e.HasIndex(m => m.AssetId);
            e.HasIndex(m => new { m.PersonId, m.AssetId });
            e.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Assets.Asset>().WithMany().HasForeignKey(m => m.AssetId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(m => m.Faces).WithOne().HasForeignKey(f => f.MomentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Face>(e =>
        {
            e.ToTable("faces");
            e.HasIndex(f => f.AssetId);
            e.HasIndex(f => new { f.EnvironmentId, f.PersonId });
            e.HasOne<Person>().WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.NoAction);
            e.HasOne<Assets.Asset>().WithMany().HasForeignKey(f => f.AssetId).OnDelete(DeleteBehavior.NoAction);
        });
        model.Entity<PeopleCounter>(e =>
        {
            e.ToTable("people_counters");
            e.HasKey(c => c.EnvironmentId);
        });
    }
}
