using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.Search;
using Mnemo.Server.Search.Semantic;
using Mnemo.Server.Storage;

namespace Mnemo.Server.People;

/// <summary>A person as every surface shows it.</summary>
public sealed record PersonSummary(int Number, string Label, string? Name, int FaceCount, int MomentCount, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A span of an asset a person is seen in; <paramref name="Similarity"/> only in a search by photo.</summary>
public sealed record MomentView(
    long MomentId, string PersonLabel, string? PersonName, long AssetId, Guid FileId, string FileName,
    double? StartSeconds, double? EndSeconds, double Score, int FaceCount, double? Similarity = null);

public sealed record PersonDetail(PersonSummary Person, IReadOnlyList<MomentView> Moments);

/// <summary>
/// Reading the people of the caller's environment, naming one (its name becomes searchable on its moments at once) and
/// finding the moments of the face in a photo. Faces come from parsing (<see cref="PeopleStore"/>); the photo's face
/// from the vision engine, through <see cref="FaceReader"/>.
/// </summary>
public sealed class PeopleService(
    MnemoDb db, SearchIndex index, FaceReader reader, SearchCharge charge,
    IOptions<PeopleOptions> options, TimeProvider time)
{
    /// <summary>As an unknown video task: the catalog's <c>route_not_found</c> (404), the detail naming what is missing.</summary>
    public static ApiException NotFound() => new(ApiError.NotFound("No person with that id in this environment (a person whose every face was deleted is gone)."));

    public async Task<IReadOnlyList<PersonSummary>> ListAsync(Caller caller, CancellationToken ct) =>
        await Summaries(caller, null).ToListAsync(ct);

    public async Task<PersonDetail> GetAsync(Caller caller, string label, CancellationToken ct)
    {
        var number = Labels.Parse(label) ?? throw NotFound();
        var person = await Summaries(caller, number).FirstOrDefaultAsync(ct) ?? throw NotFound();
        var moments = (await Moments(caller, number).ToListAsync(ct)).OrderBy(m => m.AssetId).ThenBy(m => m.StartSeconds ?? -1).ToList();
        return new PersonDetail(person, moments);
    }

    /// <summary>The cover face's JPEG.</summary>
    public async Task<byte[]> ThumbnailAsync(Caller caller, string label, CancellationToken ct)
    {
        var number = Labels.Parse(label) ?? throw NotFound();
        return await (
            from p in db.Set<Person>().AsNoTracking()
            where p.EnvironmentId == caller.EnvironmentId && p.Number == number
            join f in db.Set<Face>() on p.CoverFaceId equals f.Id
            select f.Thumbnail).FirstOrDefaultAsync(ct) ?? throw NotFound();
    }

    /// <summary>Names a person (null or blank clears the name); every asset it is seen in is reindexed, so the name finds its moments.</summary>
    public async Task<PersonSummary> RenameAsync(Caller caller, string label, string? name, CancellationToken ct)
    {
        var number = Labels.Parse(label) ?? throw NotFound();
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (name is { Length: > 200 })
        {
            throw new ApiException(ApiError.Unprocessable("name must be at most 200 characters."));
        }

        // Locks in the order a parse's commit takes them (its asset, then the environment's people), so neither waits on the other in a circle.
        var seen = await AssetsOfAsync(caller, number, ct);
        List<long> assets;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var asset in seen.Order())
            {
                // The vector index of every instance follows assets.UpdatedAt.
                await db.Set<Asset>().Where(a => a.Id == asset).ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedAt, now), ct);
            }

            await PeopleStore.LockAsync(db, caller.EnvironmentId, ct);
            var person = await db.Set<Person>().FirstOrDefaultAsync(p => p.EnvironmentId == caller.EnvironmentId && p.Number == number, ct) ?? throw NotFound();
            person.Name = name;
            person.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            assets = await AssetsOfAsync(caller, number, ct);
            foreach (var asset in assets)
            {
                await index.ReindexKindAsync(asset, SearchEntryKind.Person, ct);
            }

            var more = assets.Except(seen).ToList();
            await db.Set<Asset>().Where(a => more.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedAt, now), ct);
            await transaction.CommitAsync(ct);
        }

        foreach (var asset in assets)
        {
            await index.PublishAsync(asset, ct);
        }

        return await Summaries(caller, number).FirstAsync(ct);
    }

    /// <summary>
    /// The moments whose faces look most like the largest face in <paramref name="photo"/>: each moment scores its
    /// best face's cosine with it; those under <see cref="PeopleOptions.MatchFrom"/> are left out. Paid as a search.
    /// </summary>
    public async Task<IReadOnlyList<MomentView>> SearchByPhotoAsync(Caller caller, Stream photo, int topK, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "mnemo-photo-" + Guid.NewGuid().ToString("n"));
        try
        {
            await using (var file = File.Create(path))
            {
                await photo.CopyToAsync(file, ct);
            }

            var head = new byte[FormatDetector.SniffBytes];
            int read;
            await using (var file = File.OpenRead(path))
            {
                read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            }

            if (FormatDetector.Sniff(head.AsSpan(0, read)) is not { Kind: AssetKind.Image })
            {
                throw new ApiException(new ApiError(ErrorCatalog.InvalidFileType, "The photo must be an image (JPEG, PNG, WebP, …) showing a face."));
            }

            IReadOnlyList<float[]>? faces;
            try
            {
                faces = await reader.EmbeddingsAsync(path, ct);
            }
            catch (InvalidOperationException e)
            {
                // ffmpeg cannot decode it, or the engine cannot read it: the photo's fault as far as the caller can act.
                throw new ApiException(ApiError.Unprocessable("The photo cannot be read: " + e.Message));
            }

            if (faces is null)
            {
                throw new ApiException(ApiError.Unavailable("The vision engine is not installed or turned off, so no face can be read (scripts/install-vision).", 60));
            }
            if (faces.Count == 0)
            {
                throw new ApiException(ApiError.Unprocessable("No face was found in the photo."));
            }

            await charge.PayAsync(caller, ct);
            var query = Vectors.Unit(faces[0]);
            var candidates = await db.Set<Face>().AsNoTracking()
                .Where(f => f.EnvironmentId == caller.EnvironmentId)
                .Select(f => new { f.MomentId, f.Embedding }).ToListAsync(ct);
            var best = candidates
                .Select(f => (f.MomentId, Cosine: (double)Vectors.Dot(Vectors.FromBytes(f.Embedding), query)))
                .Where(f => f.Cosine >= options.Value.MatchFrom)
                .GroupBy(f => f.MomentId)
                .Select(g => (MomentId: g.Key, Similarity: g.Max(f => f.Cosine)))
                .OrderByDescending(m => m.Similarity).ThenBy(m => m.MomentId)
                .Take(topK)
                .ToList();
            var ids = best.Select(b => b.MomentId).ToList();
            var moments = (await Moments(caller, null, ids).ToListAsync(ct)).ToDictionary(m => m.MomentId);
            return [.. best.Where(b => moments.ContainsKey(b.MomentId)).Select(b => moments[b.MomentId] with { Similarity = Math.Round(b.Similarity, 4) })];
        }
        finally
        {
            File.Delete(path);
        }
    }

    private Task<List<long>> AssetsOfAsync(Caller caller, int number, CancellationToken ct) =>
        (from m in db.Set<PersonMoment>()
         join p in db.Set<Person>() on m.PersonId equals p.Id
         where p.EnvironmentId == caller.EnvironmentId && p.Number == number
         select m.AssetId).Distinct().ToListAsync(ct);

    private IQueryable<PersonSummary> Summaries(Caller caller, int? number) =>
        from p in db.Set<Person>().AsNoTracking()
        where p.EnvironmentId == caller.EnvironmentId && (number == null || p.Number == number)
        orderby p.Number
        select new PersonSummary(p.Number, Labels.Prefix + p.Number.ToString(), p.Name, p.FaceCount,
            db.Set<PersonMoment>().Count(m => m.PersonId == p.Id), p.CreatedAt, p.UpdatedAt);

    private IQueryable<MomentView> Moments(Caller caller, int? number, List<long>? ids = null) =>
        from m in db.Set<PersonMoment>().AsNoTracking()
        where m.EnvironmentId == caller.EnvironmentId && (ids == null || ids.Contains(m.Id))
        join p in db.Set<Person>() on m.PersonId equals p.Id
        where number == null || p.Number == number
        join a in db.Set<Asset>() on m.AssetId equals a.Id
        where a.DeletedAt == null
        select new MomentView(m.Id, Labels.Prefix + p.Number.ToString(), p.Name, a.Id, a.FileId, a.OriginalFilename,
            m.StartSeconds, m.EndSeconds, m.Score, m.FaceCount, null);
}

/// <summary>
/// The described faces of a photo (largest first), or null when no engine can read faces: what a search by photo
/// asks. Registered by the folder that runs the vision engine (Processing), so People never names it.
/// </summary>
public sealed record FaceReader(Func<string, CancellationToken, Task<IReadOnlyList<float[]>?>> EmbeddingsAsync);
