using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using Mnemo.Server.Accounts;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.Prompts;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Search;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>memic prompts: the live version reads as Memic's; versions, live switching and rendering are Mnemo's.</summary>
public static class PromptsApi
{
    public sealed record CreatePromptRequest(string? Name, string? Body, string[]? Variables);
    public sealed record RenderRequest(Dictionary<string, string>? Variables, string? Query, int? TopK);

    public sealed record LivePrompt(string Name, string Body, IReadOnlyList<string> Variables, int VersionNumber, DateTime UpdatedAt)
    {
        public static LivePrompt Of(PromptStore.Versioned v) =>
            new(v.Prompt.Name, v.Version.Body, v.Version.VariableList, v.Version.Number, v.Prompt.UpdatedAt);
    }

    public sealed record VersionView(int VersionNumber, string Body, IReadOnlyList<string> Variables, bool Live, DateTime CreatedAt);
    public sealed record CreatedPrompt(string Name, string Body, IReadOnlyList<string> Variables, int VersionNumber, bool Live, DateTime CreatedAt);
    public sealed record PromptSummary(string Name, int? LiveVersion, int LatestVersion, DateTime UpdatedAt);
    public sealed record PromptList(IReadOnlyList<PromptSummary> Items, int Total, int Page, int PageSize, int TotalPages);
    public sealed record VersionList(string Name, int? LiveVersion, IReadOnlyList<VersionView> Items);
    public sealed record Source(string ChunkId, Guid FileId, string FileName, int? PageNumber, double? StartTime, double? EndTime, double Score);
    public sealed record Rendered(string Name, int VersionNumber, string Prompt, IReadOnlyDictionary<string, string> Variables, IReadOnlyList<Source> Sources);

    public static void MapPrompts(this RouteGroupBuilder memic)
    {
        var prompts = memic.MapGroup("/prompts").WithTags("prompts").WithRateLimitClass(RateLimitClass.Prompts);
        prompts.MapPost("", Create).WithSummary("Create a prompt, or the next immutable version of it.");
        prompts.MapGet("", List).WithSummary("The prompts of this environment.");
        prompts.MapGet("/{name}", async (string name, Caller caller, PromptStore store, CancellationToken ct) =>
            TypedResults.Ok(LivePrompt.Of(await store.LiveAsync(caller, name, ct))))
            .WithSummary("The live version of a prompt (prompt_not_found when none is live).");
        prompts.MapGet("/{name}/versions", Versions).WithSummary("Every version of a prompt.");
        prompts.MapPost("/{name}/versions/{number:int}/live", async (string name, int number, Caller caller, PromptStore store, CancellationToken ct) =>
            TypedResults.Ok(LivePrompt.Of(await store.SetLiveAsync(caller, name, number, ct))))
            .WithSummary("Make a version the live one.");
        prompts.MapPost("/{name}/render", Render).WithSummary("Fill the live version's variables.");
    }

    private static async Task<Results<Created<CreatedPrompt>, ApiError>> Create(
        CreatePromptRequest request, Caller caller, PromptStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Body))
        {
            return ApiError.InvalidRequest("name and body are required.");
        }

        if (request.Variables is { } names && names.Any(v => v is null))
        {
            return ApiError.InvalidRequest("variables must be an array of strings (a null is not a name).");
        }

        var created = await store.AddVersionAsync(caller, request.Name.Trim(), request.Body, request.Variables, ct);
        var v = created.Version;
        return TypedResults.Created($"/api/v1/prompts/{created.Prompt.Name}/versions/{v.Number}",
            new CreatedPrompt(created.Prompt.Name, v.Body, v.VariableList, v.Number, created.Prompt.LiveVersion == v.Number, v.CreatedAt));
    }

    private static async Task<Results<Ok<PromptList>, ApiError>> List(
        Caller caller, PromptStore store, CancellationToken ct, int page = 1, int page_size = 20)
    {
        if (page < 1 || page_size is < 1 or > 100)
        {
            return ApiError.Unprocessable("page must be at least 1 and page_size between 1 and 100.");
        }

        var (items, total) = await store.ListAsync(caller, page, page_size, ct);
        return TypedResults.Ok(new PromptList(
            [.. items.Select(p => new PromptSummary(p.Name, p.LiveVersion, p.LatestVersion, p.UpdatedAt))],
            total, page, page_size, (total + page_size - 1) / page_size));
    }

    private static async Task<Ok<VersionList>> Versions(string name, Caller caller, PromptStore store, CancellationToken ct)
    {
        var (prompt, versions) = await store.VersionsAsync(caller, name, ct);
        return TypedResults.Ok(new VersionList(prompt.Name, prompt.LiveVersion,
            [.. versions.Select(v => new VersionView(v.Number, v.Body, v.VariableList, v.Number == prompt.LiveVersion, v.CreatedAt))]));
    }

    private static async Task<Results<Ok<Rendered>, ApiError>> Render(
        string name, RenderRequest? request, Caller caller, PromptStore store, SearchService search, CancellationToken ct)
    {
        if (request?.Variables?.FirstOrDefault(v => v.Value is null) is { Key: { } nullKey })
        {
            return ApiError.InvalidRequest($"variables.{nullKey} must be a string, not null.");
        }

        var live = await store.LiveAsync(caller, name, ct);
        var values = new Dictionary<string, string>(request?.Variables ?? [], StringComparer.Ordinal);
        IReadOnlyList<Source> sources = [];
        if (!string.IsNullOrWhiteSpace(request?.Query))
        {
            var topK = request.TopK ?? 5;
            if (topK is < 1 or > 50)
            {
                return ApiError.Unprocessable("top_k must be between 1 and 50.");
            }

            var hits = await search.SearchAsync(caller,
                new SearchIndex.Query(caller.EnvironmentId, request.Query, topK, ContextMinScore), ct);
            sources = [.. hits.Select(h => new Source(h.Id.ToString(CultureInfo.InvariantCulture), h.FileId, h.FileName, h.Page, h.StartTime, h.EndTime, h.Score))];
            values.TryAdd(PromptTemplate.ContextVariable, Context(hits));
        }

        var (rendered, missing) = PromptTemplate.Render(live.Version.Body, values);
        if (missing is not null)
        {
            return ApiError.Unprocessable(missing == PromptTemplate.ContextVariable
                ? "Missing variable 'context': give it, or a query to fill it from search."
                : $"Missing variable '{missing}'.");
        }

        return TypedResults.Ok(new Rendered(live.Prompt.Name, live.Version.Number, rendered!, values, sources));
    }

    /// <summary>Retrieved context keeps matches that hold a fair part of the query (filtering_level "low").</summary>
    private const double ContextMinScore = 0.15;

    /// <summary>Numbered passages, each with where it comes from, so a model can cite them.</summary>
    private static string Context(IReadOnlyList<SearchIndex.Hit> hits) => string.Join("\n\n", hits.Select((h, i) =>
    {
        var where = h.Page is { } page ? $"page {page}"
            : h.StartTime is { } start ? string.Create(CultureInfo.InvariantCulture, $"{start:0.##}s-{h.EndTime ?? start:0.##}s")
            : h.Kind.ToString().ToLowerInvariant();
        return $"[{i + 1}] {h.FileName} ({where}): {h.Text}";
    }));
}
