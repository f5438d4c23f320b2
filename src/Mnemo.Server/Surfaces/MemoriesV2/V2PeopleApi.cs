using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;
using Mnemo.Server.People;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Surfaces.MemoriesV2;

/// <summary>memories v2 people (Mnemo's: the hosted docs have none): the memic routes' shapes, with v2 asset ids, in the v2 envelope.</summary>
public static class V2PeopleApi
{
    public sealed record V2Person(string PersonId, string? Name, int FaceCount, int MomentCount, string ThumbnailUrl, string CreateTime, string ModifyTime);

    public sealed record V2Moment(long MomentId, string AssetId, string OriginalFilename, double? StartTime, double? EndTime, double Score, int FaceCount);

    public sealed record V2PersonDetail(
        string PersonId, string? Name, int FaceCount, int MomentCount, string ThumbnailUrl, string CreateTime, string ModifyTime,
        IReadOnlyList<V2Moment> Moments);

    public sealed record V2People(IReadOnlyList<V2Person> Items, int Total);

    public sealed record RenameRequest(string? Name);

    public sealed record V2PhotoHit(
        string PersonId, string? PersonName, long MomentId, string AssetId, string OriginalFilename, double? StartTime, double? EndTime, double Similarity);

    public static RouteGroupBuilder MapV2People(this RouteGroupBuilder group)
    {
        group.MapGet("/people", List).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("The people seen in this environment's videos and images (person_1, …).");
        group.MapGet("/people/{person_id}", Get).WithRateLimitClass(RateLimitClass.Status).WithSummary("A person and every moment they are seen in.");
        group.MapGet("/people/{person_id}/thumbnail", Thumbnail).WithRateLimitClass(RateLimitClass.Status).WithSummary("The person's picture (JPEG).");
        group.MapPatch("/people/{person_id}", Rename).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("Names a person ({\"name\": \"Alice\"}); the name then finds their moments in search.");
        group.MapPost("/people/search", Search).WithRateLimitClass(RateLimitClass.Search).WithBodyLimit(null).Accepts<PhotoSearchForm>("multipart/form-data")
            .WithSummary("Multipart 'file' (a photo of a face), 'top_k' (1–100): the moments where that person appears, most alike first.");
        return group;
    }

    private static async Task<Ok<V2Envelope<V2People>>> List(Caller caller, PeopleService people, CancellationToken ct)
    {
        var all = await people.ListAsync(caller, ct);
        return V2Envelope.Success(new V2People([.. all.Select(View)], all.Count));
    }

    private static async Task<Results<Ok<V2Envelope<V2PersonDetail>>, ApiError>> Get(string person_id, Caller caller, PeopleService people, CancellationToken ct)
    {
        var (p, moments) = await people.GetAsync(caller, person_id, ct);
        var v = View(p);
        return V2Envelope.Success(new V2PersonDetail(v.PersonId, v.Name, v.FaceCount, v.MomentCount, v.ThumbnailUrl, v.CreateTime, v.ModifyTime,
            [.. moments.Select(m => new V2Moment(m.MomentId, AssetIds.V2(m.AssetId), m.FileName, m.StartSeconds, m.EndSeconds, m.Score, m.FaceCount))]));
    }

    private static async Task<Results<FileContentHttpResult, ApiError>> Thumbnail(string person_id, Caller caller, PeopleService people, CancellationToken ct) =>
        TypedResults.File(await people.ThumbnailAsync(caller, person_id, ct), "image/jpeg");

    private static async Task<Results<Ok<V2Envelope<V2Person>>, ApiError>> Rename(
        string person_id, RenameRequest request, Caller caller, PeopleService people, CancellationToken ct) =>
        V2Envelope.Success(View(await people.RenameAsync(caller, person_id, request.Name, ct)));

    private static async Task<Results<Ok<V2Envelope<List<V2PhotoHit>>>, ApiError>> Search(
        HttpRequest request, Caller caller, PeopleService people, IOptions<PeopleOptions> options, CancellationToken ct)
    {
        var form = await PhotoForm.ReadAsync(request, options.Value.MaxPhotoBytes, 100, ct);
        await using var photo = form.File.OpenReadStream();
        var hits = await people.SearchByPhotoAsync(caller, photo, form.TopK, ct);
        return V2Envelope.Success<List<V2PhotoHit>>([.. hits.Select(h => new V2PhotoHit(
            h.PersonLabel, h.PersonName, h.MomentId, AssetIds.V2(h.AssetId), h.FileName, h.StartSeconds, h.EndSeconds, h.Similarity ?? 0))]);
    }

    private static V2Person View(PersonSummary p) => new(
        p.Label, p.Name, p.FaceCount, p.MomentCount, $"{SurfacePaths.MemoriesV2Prefix}/people/{p.Label}/thumbnail",
        WireTime.Millis(p.CreatedAt), WireTime.Millis(p.UpdatedAt));
}
