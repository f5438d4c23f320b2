using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Search.Semantic;
using Mnemo.Server.Storage;

namespace Mnemo.Server.People;

/// <summary>A face as parsing hands it over: when, where (x, y, width, height), how sure, its description and a JPEG of it.</summary>
public sealed record NewFace(double? AtSeconds, int[] Box, double Score, float[] Embedding, byte[] Thumbnail);

/// <summary>
/// The writes of people, each inside the caller's transaction: an asset's faces replaced (a parse) or removed (a
/// delete), each new face clustered into this environment's people, every person touched brought up to date and a
/// person left without faces removed. Two writers in one environment take its <see cref="PeopleCounter"/> row in turn.
/// </summary>
public sealed class PeopleStore(IOptions<PeopleOptions> options, TimeProvider time)
{
    /// <summary>
    /// Replaces the faces of <paramref name="assetId"/>: the new ones are compared with the people as they were (a
    /// re-parse finds the same people again), then every person that lost or gained a face is recomputed.
    /// <paramref name="lookedAt"/> are the times of the pictures looked at, in order; <paramref name="end"/> the video's end.
    /// </summary>
    public async Task ReplaceAsync(
        MnemoDb db, long assetId, Guid environmentId, IReadOnlyList<NewFace> faces, IReadOnlyList<double?> lookedAt, double? end, CancellationToken ct)
    {
        var before = await db.Set<Face>().Where(f => f.AssetId == assetId).Select(f => f.PersonId).Distinct().ToListAsync(ct);
        if (before.Count == 0 && faces.Count == 0)
        {
            return;
        }

        var counter = await LockAsync(db, environmentId, ct);
        await RemoveRowsAsync(db, assetId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var people = await db.Set<Person>().Where(p => p.EnvironmentId == environmentId).ToListAsync(ct);
        var sums = people.ToDictionary(p => p, p => (Sum: Scaled(Vectors.FromBytes(p.Centroid), Math.Max(1, p.FaceCount)), Count: Math.Max(1, p.FaceCount)));
        var candidates = people.Select(p => new Clustering.Candidate(p, Vectors.FromBytes(p.Centroid))).ToList();
        var joined = new List<(NewFace Face, float[] Unit, Person Person)>();
        foreach (var face in faces.OrderBy(f => f.AtSeconds ?? 0))
        {
            var unit = Vectors.Unit(face.Embedding);
            var nearest = Clustering.Nearest(candidates, unit, options.Value.SameFrom);
            Person person;
            if (nearest is { } n)
            {
                person = (Person)n.Person.Key;
                var (sum, count) = sums[person];
                System.Numerics.Tensors.TensorPrimitives.Add(sum, unit, sum);
                sums[person] = (sum, count + 1);
                candidates[candidates.FindIndex(c => c.Key == person)] = new Clustering.Candidate(person, Vectors.Unit(sum));
            }
            else
            {
                person = new Person { EnvironmentId = environmentId, Number = counter.Next++, Centroid = Vectors.ToBytes(unit), CreatedAt = now, UpdatedAt = now };
                db.Set<Person>().Add(person);
                sums[person] = ((float[])unit.Clone(), 1);
                candidates.Add(new Clustering.Candidate(person, unit));
            }

            joined.Add((face, unit, person));
        }

        await db.SaveChangesAsync(ct); // the new people's ids
        foreach (var group in joined.GroupBy(j => j.Person))
        {
            var person = group.Key;
            foreach (var span in Clustering.Moments(lookedAt, group.Select(j => j.Face.AtSeconds).ToHashSet(), end))
            {
                var inside = group.Where(j => span.Times.Contains(j.Face.AtSeconds)).ToList();
                db.Set<PersonMoment>().Add(new PersonMoment
                {
                    PersonId = person.Id, AssetId = assetId, EnvironmentId = environmentId, StartSeconds = span.Start, EndSeconds = span.End,
                    Score = inside.Max(j => j.Face.Score), FaceCount = inside.Count,
                    Faces = [.. inside.Select(j => new Face
                    {
                        AssetId = assetId, EnvironmentId = environmentId, PersonId = person.Id, AtSeconds = j.Face.AtSeconds,
                        X = j.Face.Box[0], Y = j.Face.Box[1], Width = j.Face.Box[2], Height = j.Face.Box[3], Score = Math.Round(j.Face.Score, 3),
                        Embedding = Vectors.ToBytes(j.Unit), Thumbnail = j.Face.Thumbnail,
                    })],
                });
            }
        }

        await db.SaveChangesAsync(ct);
        await RefreshAsync(db, [.. before.Concat(joined.Select(j => j.Person.Id)).Distinct()], now, ct);
    }

    /// <summary>An asset's faces and moments go (its delete); the people they belonged to are recomputed or removed.</summary>
    public static async Task RemoveAsync(MnemoDb db, long assetId, DateTime now, CancellationToken ct)
    {
        var before = await db.Set<Face>().Where(f => f.AssetId == assetId).Select(f => new { f.PersonId, f.EnvironmentId }).Distinct().ToListAsync(ct);
        if (before.Count == 0)
        {
            return;
        }

        await LockAsync(db, before[0].EnvironmentId, ct);
        await RemoveRowsAsync(db, assetId, ct);
        await RefreshAsync(db, [.. before.Select(b => b.PersonId)], now, ct);
    }

    private static async Task RemoveRowsAsync(MnemoDb db, long assetId, CancellationToken ct)
    {
        await db.Set<Face>().Where(f => f.AssetId == assetId).ExecuteDeleteAsync(ct);
        await db.Set<PersonMoment>().Where(m => m.AssetId == assetId).ExecuteDeleteAsync(ct);
    }

    /// <summary>Each person's centroid, face count and cover from the faces it has now; one with none is removed.</summary>
    private static async Task RefreshAsync(MnemoDb db, IReadOnlyList<long> personIds, DateTime now, CancellationToken ct)
    {
        foreach (var id in personIds)
        {
            var faces = await db.Set<Face>().AsNoTracking().Where(f => f.PersonId == id)
                .Select(f => new { f.Id, f.Score, Area = f.Width * f.Height, f.Embedding }).ToListAsync(ct);
            if (faces.Count == 0)
            {
                await db.Set<PersonMoment>().Where(m => m.PersonId == id).ExecuteDeleteAsync(ct);
                await db.Set<Person>().Where(p => p.Id == id).ExecuteDeleteAsync(ct);
                continue;
            }

            var centroid = Vectors.ToBytes(Clustering.Centroid(faces.Select(f => Vectors.FromBytes(f.Embedding))));
            var cover = faces.OrderByDescending(f => f.Score).ThenByDescending(f => f.Area).ThenBy(f => f.Id).First().Id;
            await db.Set<Person>().Where(p => p.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Centroid, centroid).SetProperty(p => p.FaceCount, faces.Count)
                .SetProperty(p => p.CoverFaceId, cover).SetProperty(p => p.UpdatedAt, now), ct);
        }
    }

    /// <summary>The environment's counter row, locked until the transaction ends (created at the first face).</summary>
    internal static async Task<PeopleCounter> LockAsync(MnemoDb db, Guid environmentId, CancellationToken ct)
    {
        if (await db.Set<PeopleCounter>().Where(c => c.EnvironmentId == environmentId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Next, c => c.Next), ct) == 0)
        {
            db.Set<PeopleCounter>().Add(new PeopleCounter { EnvironmentId = environmentId, Next = 1 });
            await db.SaveChangesAsync(ct);
        }

        return await db.Set<PeopleCounter>().FirstAsync(c => c.EnvironmentId == environmentId, ct);
    }

    private static float[] Scaled(float[] v, int by)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(v, by, v);
        return v;
    }
}
