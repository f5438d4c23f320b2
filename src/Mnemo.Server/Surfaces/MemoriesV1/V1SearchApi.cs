using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Search;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>memories v1 search: clips by query (search), and exact phrases in transcripts (search_audio_transcripts).</summary>
public static class V1SearchApi
{
    public sealed record SearchRequest(
        string? SearchParam, string? SearchType, string? UniqueId, string? FolderId, int? TopK, string? FilteringLevel,
        string[]? VideoNos, string? Tag);

    public sealed record Clip(
        [property: JsonPropertyName("videoNo")] string VideoNo,
        [property: JsonPropertyName("videoName")] string VideoName,
        [property: JsonPropertyName("startTime")] double StartTime,
        [property: JsonPropertyName("endTime")] double EndTime,
        [property: JsonPropertyName("score")] double Score,
        // Not in the hosted v1 docs (video only): the page of a document hit, null for video and audio.
        [property: JsonPropertyName("pageNumber")] int? PageNumber = null,
        // A hit from the transcript: its text with its times, as search_audio_transcripts gives it.
        [property: JsonPropertyName("audio_ts")] string? AudioTs = null);

    public sealed record TranscriptMatch(
        [property: JsonPropertyName("videoNo")] string VideoNo,
        [property: JsonPropertyName("videoName")] string VideoName,
        [property: JsonPropertyName("index")] int Index,
        [property: JsonPropertyName("content")] string Content,
        [property: JsonPropertyName("startTime")] double StartTime,
        [property: JsonPropertyName("endTime")] double EndTime);

    /// <summary>The shape the memories.ai examples read: one row per video, its matching segments in one string.</summary>
    public sealed record TranscriptVideo(
        [property: JsonPropertyName("videoNo")] string VideoNo,
        [property: JsonPropertyName("videoName")] string VideoName,
        [property: JsonPropertyName("audio_ts")] string AudioTs);

    public sealed record TranscriptMatches(
        IReadOnlyList<TranscriptMatch> Items, IReadOnlyList<TranscriptVideo> Videos, int CurrentPage, int PageSize, int TotalCount);

    public const int MaxVideoNos = 1000;

    /// <summary>filtering_level → minimum score (CONTRACT.md); see docs/search.md for what the scale means.</summary>
    private static readonly Dictionary<string, double> Levels = new(StringComparer.OrdinalIgnoreCase) { ["low"] = 0.15, ["medium"] = 0.225, ["high"] = 0.4 };

    private static readonly string[] SearchTypes = ["BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_CAPTION"];

    public static RouteGroupBuilder MapV1Search(this RouteGroupBuilder group)
    {
        group.MapPost("/search", Search).WithRateLimitClass(RateLimitClass.Search)
            .WithSummary("Clips matching a query. BY_AUDIO searches transcripts; BY_CLIP, BY_VIDEO and BY_CAPTION search every text the video has.");
        group.MapGet("/search_audio_transcripts", SearchTranscripts).WithRateLimitClass(RateLimitClass.Search)
            .WithSummary("Transcript segments containing a phrase (exact, case-insensitive), paged.");
        return group;
    }

    private static async Task<Results<Ok<V1Envelope<IReadOnlyList<Clip>>>, ApiError>> Search(
        SearchRequest request, Caller caller, SearchService search, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.SearchParam))
        {
            return ApiError.InvalidRequest("search_param is required.");
        }

        var type = request.SearchType ?? "BY_VIDEO";
        if (!SearchTypes.Contains(type))
        {
            return ApiError.Unprocessable("search_type must be BY_CLIP, BY_VIDEO, BY_AUDIO or BY_CAPTION.");
        }

        var topK = request.TopK ?? 10;
        if (topK is < 1 or > 1000)
        {
            return ApiError.Unprocessable("top_k must be between 1 and 1000.");
        }

        var minScore = 0.0;
        if (request.FilteringLevel is { } level && !Levels.TryGetValue(level, out minScore))
        {
            return ApiError.Unprocessable("filtering_level must be low, medium or high.");
        }

        var ids = new HashSet<long>();
        foreach (var videoNo in request.VideoNos ?? [])
        {
            ids.Add(AssetIds.ParseV1(videoNo) ?? throw new ApiException(ApiError.InvalidRequest($"'{videoNo}' is not a video_no.")));
        }

        // Each id is one SQL parameter: tens of thousands overflow the database's limit (a 500) long after
        // they have cost seconds. No caller filters a search by more videos than top_k can return.
        if (ids.Count > MaxVideoNos)
        {
            return ApiError.Unprocessable($"video_nos takes at most {MaxVideoNos} distinct video_no.");
        }

        var hits = await search.SearchAsync(caller, new SearchIndex.Query(caller.EnvironmentId, request.SearchParam, topK, minScore)
        {
            Namespace = V1Fields.Namespace(request.UniqueId, request.FolderId),
            Tag = request.Tag,
            AssetIds = ids.Count > 0 ? ids : null,
            TranscriptsOnly = type == "BY_AUDIO",
        }, ct);
        return V1Envelope.Success<IReadOnlyList<Clip>>([.. hits.Select(h => new Clip(
            AssetIds.V1(h.AssetId), h.FileName, h.StartTime ?? 0, h.EndTime ?? h.Duration ?? 0, h.Score, h.Page,
            h.Kind == SearchEntryKind.Transcript ? AudioTs(h.StartTime ?? 0, h.EndTime ?? 0, h.Text) : null))]);
    }

    private static async Task<Results<Ok<V1Envelope<TranscriptMatches>>, ApiError>> SearchTranscripts(
        Caller caller, SearchService search, CancellationToken ct,
        string? query = null, int page = 1, int page_size = 20, string? unique_id = null, string? folder_id = null)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return ApiError.InvalidRequest("query is required.");
        }

        if (page < 1 || page_size is < 1 or > 200)
        {
            return ApiError.Unprocessable("page must be ≥ 1 and page_size between 1 and 200.");
        }

        var found = await search.SearchTranscriptsAsync(caller, V1Fields.Namespace(unique_id, folder_id), query, page, page_size, ct);
        var videos = found.Items.GroupBy(m => m.AssetId).Select(g => new TranscriptVideo(AssetIds.V1(g.Key), g.First().FileName,
            string.Join(' ', g.Select(m => AudioTs(m.Start, m.End, m.Content)))));
        return V1Envelope.Success(new TranscriptMatches(
            [.. found.Items.Select(m => new TranscriptMatch(AssetIds.V1(m.AssetId), m.FileName, m.Index, m.Content, m.Start, m.End))],
            [.. videos], page, page_size, found.Total));
    }

    /// <summary><c>[1.2-2.3] the copper kettle</c>: a transcript segment with its times in seconds.</summary>
    private static string AudioTs(double start, double end, string text) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{start:0.##}-{end:0.##}] {text}");
}
