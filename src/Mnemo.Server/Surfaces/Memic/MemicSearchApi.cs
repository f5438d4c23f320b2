using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Search;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>memic POST /search: chunks of this environment's files that match a query, with their page or times.</summary>
public static class MemicSearchApi
{
    public sealed record PageRange(int? Gte, int? Lte);
    public sealed record MetadataFilters(string? ReferenceId, int? PageNumber, PageRange? PageRange, string? Category, string? DocumentType);
    public sealed record SearchRequest(string? Query, Guid[]? FileIds, int? TopK, double? MinScore, MetadataFilters? MetadataFilters, string? EnvironmentSlug);

    /// <summary>A hit as the Memic SDK maps it; <c>category</c> and <c>document_type</c> come from the file's metadata.</summary>
    public sealed record SemanticResult(
        string ChunkId, int ChunkIndex, string Content, Guid FileId, string FileName, string? MimeType,
        int? PageNumber, int? StartPage, int? EndPage, double? StartTime, double? EndTime, double Score,
        Guid ProjectId, string? ReferenceId, string? Category, string? DocumentType);

    public sealed record Results(IReadOnlyList<SemanticResult> Semantic, object? Structured);
    public sealed record Routing(string Route);
    public sealed record SearchResponse(string Query, Results Results, Routing Routing, int TotalResults, long SearchTimeMs);

    public static void MapMemicSearch(this RouteGroupBuilder memic) =>
        memic.MapPost("/search", Search)
            .WithRateLimitClass(RateLimitClass.Search)
            .WithSummary("Search the memory of this environment's files: chunks with page or time range and a 0..1 score.");

    private static async Task<Results<Ok<SearchResponse>, ApiError>> Search(
        SearchRequest request, Caller caller, SearchService search, AssetQueries assets, CancellationToken ct)
    {
        ApiKeyCheck.EnsureEnvironment(caller, request.EnvironmentSlug);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return ApiError.InvalidRequest("query is required.");
        }

        var topK = request.TopK ?? 10;
        if (topK is < 1 or > 50)
        {
            return ApiError.Unprocessable("top_k must be between 1 and 50.");
        }

        if (request.MinScore is < 0 or > 1)
        {
            return ApiError.Unprocessable("min_score must be between 0 and 1.");
        }

        var started = Stopwatch.GetTimestamp();
        var filters = request.MetadataFilters;
        var query = new SearchIndex.Query(caller.EnvironmentId, request.Query, topK, request.MinScore ?? 0)
        {
            ReferenceId = filters?.ReferenceId,
            PageMin = filters?.PageNumber ?? filters?.PageRange?.Gte,
            PageMax = filters?.PageNumber ?? filters?.PageRange?.Lte,
        };
        if (request.FileIds is { Length: > 0 } fileIds)
        {
            query = query with { AssetIds = await assets.IdsOfFilesAsync(caller, fileIds, ct) };
        }

        if (filters is { Category: not null } or { DocumentType: not null })
        {
            var tagged = await assets.IdsWithMetadataAsync(caller, filters.Category, filters.DocumentType, ct);
            query = query with { AssetIds = query.AssetIds is { } chosen ? [.. chosen.Intersect(tagged)] : tagged };
        }

        var hits = await search.SearchAsync(caller, query, ct);
        var results = hits.Select(h =>
        {
            var metadata = FileMetadata.Of(h.MetadataJson);
            return new SemanticResult(
                h.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), h.ChunkIndex, h.Text, h.FileId, h.FileName, h.MimeType,
                h.Page, h.Page, h.Page, h.StartTime, h.EndTime, h.Score,
                caller.ProjectId, h.ReferenceId, metadata.Category, metadata.DocumentType);
        }).ToList();
        return TypedResults.Ok(new SearchResponse(request.Query, new Results(results, null), new Routing(search.Route), results.Count, Elapsed(started)));
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
