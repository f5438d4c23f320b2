using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;
using Mnemo.Server.People;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>memic people: faces clustered into people, their moments, a name, and the moments of the face in a photo.</summary>
public static class MemicPeopleApi
{
    public sealed record MemicPerson(
        string Id, string? Name, int FaceCount, int MomentCount, string ThumbnailUrl, DateTime CreatedAt, DateTime UpdatedAt);

    public sealed record MemicMoment(long MomentId, Guid FileId, string FileName, double? StartTime, double? EndTime, double Score, int FaceCount);

    public sealed record MemicPersonDetail(
        string Id, string? Name, int FaceCount, int MomentCount, string ThumbnailUrl, DateTime CreatedAt, DateTime UpdatedAt,
        IReadOnlyList<MemicMoment> Moments);

    public sealed record PeopleList(IReadOnlyList<MemicPerson> Items, int Total);

    public sealed record RenameRequest(string? Name);

    public sealed record PhotoHit(
        string PersonId, string? PersonName, long MomentId, Guid FileId, string FileName, double? StartTime, double? EndTime, double Similarity);

    public sealed record PhotoSearchResponse(IReadOnlyList<PhotoHit> Results, int TotalResults, long SearchTimeMs);

    public static void MapMemicPeople(this RouteGroupBuilder memic)
    {
        memic.MapGet("/people", List).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("The people seen in this environment's videos and images (person_1, …).");
        memic.MapGet("/people/{id}", Get).WithRateLimitClass(RateLimitClass.Status).WithSummary("A person and every moment they are seen in.");
        memic.MapGet("/people/{id}/thumbnail", Thumbnail).WithRateLimitClass(RateLimitClass.Status).WithSummary("The person's picture (JPEG).");
        memic.MapPatch("/people/{id}", Rename).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("Names a person ({\"name\": \"Alice\"}); the name then finds their moments in search.");
        memic.MapPost("/people/search", Search).WithRateLimitClass(RateLimitClass.Search).WithBodyLimit(null).Accepts<PhotoSearchForm>("multipart/form-data")
            .WithSummary("Multipart 'file' (a photo of a face), 'top_k' (1–50): the moments where that person appears, most alike first.");
    }

    private static async Task<Ok<PeopleList>> List(Caller caller, PeopleService people, CancellationToken ct)
    {
        var all = await people.ListAsync(caller, ct);
        return TypedResults.Ok(new PeopleList([.. all.Select(View)], all.Count));
    }

    private static async Task<Results<Ok<MemicPersonDetail>, ApiError>> Get(string id, Caller caller, PeopleService people, CancellationToken ct)
    {
        var (p, moments) = await people.GetAsync(caller, id, ct);
        var v = View(p);
        return TypedResults.Ok(new MemicPersonDetail(v.Id, v.Name, v.FaceCount, v.MomentCount, v.ThumbnailUrl, v.CreatedAt, v.UpdatedAt,
            [.. moments.Select(m => new MemicMoment(m.MomentId, m.FileId, m.FileName, m.StartSeconds, m.EndSeconds, m.Score, m.FaceCount))]));
    }

    private static async Task<Results<FileContentHttpResult, ApiError>> Thumbnail(string id, Caller caller, PeopleService people, CancellationToken ct) =>
        TypedResults.File(await people.ThumbnailAsync(caller, id, ct), "image/jpeg");

    private static async Task<Results<Ok<MemicPerson>, ApiError>> Rename(string id, RenameRequest request, Caller caller, PeopleService people, CancellationToken ct) =>
        TypedResults.Ok(View(await people.RenameAsync(caller, id, request.Name, ct)));

    private static async Task<Results<Ok<PhotoSearchResponse>, ApiError>> Search(
        HttpRequest request, Caller caller, PeopleService people, IOptions<PeopleOptions> options, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var form = await PhotoForm.ReadAsync(request, options.Value.MaxPhotoBytes, 50, ct);
        await using var photo = form.File.OpenReadStream();
        var hits = await people.SearchByPhotoAsync(caller, photo, form.TopK, ct);
        return TypedResults.Ok(new PhotoSearchResponse(
            [.. hits.Select(h => new PhotoHit(h.PersonLabel, h.PersonName, h.MomentId, h.FileId, h.FileName, h.StartSeconds, h.EndSeconds, h.Similarity ?? 0))],
            hits.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }

    private static MemicPerson View(PersonSummary p) => new(
        p.Label, p.Name, p.FaceCount, p.MomentCount, $"{SurfacePaths.MemicPrefix}/people/{p.Label}/thumbnail",
        DateTime.SpecifyKind(p.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(p.UpdatedAt, DateTimeKind.Utc));
}
