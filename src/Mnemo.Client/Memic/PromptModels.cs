namespace Mnemo.Client;

/// <summary>A prompt's live version, as Memic reads it.</summary>
public sealed record Prompt(string Name, string Body, IReadOnlyList<string> Variables, int VersionNumber, DateTimeOffset UpdatedAt);

/// <summary>A new prompt, or the next immutable version of one.</summary>
public sealed record CreatedPrompt(string Name, string Body, IReadOnlyList<string> Variables, int VersionNumber, bool Live, DateTimeOffset CreatedAt);

public sealed record PromptSummary(string Name, int? LiveVersion, int LatestVersion, DateTimeOffset UpdatedAt);

public sealed record PromptPage(IReadOnlyList<PromptSummary> Items, int Total, int Page, int PageSize, int TotalPages);

public sealed record PromptVersion(int VersionNumber, string Body, IReadOnlyList<string> Variables, bool Live, DateTimeOffset CreatedAt);

public sealed record PromptVersions(string Name, int? LiveVersion, IReadOnlyList<PromptVersion> Items);

public sealed record PromptSource(string ChunkId, Guid FileId, string FileName, int? PageNumber, double? StartTime, double? EndTime, double Score);

public sealed record RenderedPrompt(
    string Name, int VersionNumber, string Prompt, IReadOnlyDictionary<string, string> Variables, IReadOnlyList<PromptSource> Sources);
