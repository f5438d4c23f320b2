namespace Mnemo.Client;

/// <summary>A prompt's live version, as Memic reads it.</summary>
/// <param name="Name">The prompt's name, unique in the environment.</param>
/// <param name="Body">The live version's text, with <c>{{name}}</c> placeholders.</param>
/// <param name="Variables">The variable names the live version declares.</param>
/// <param name="VersionNumber">The live version's number (versions count from 1).</param>
/// <param name="UpdatedAt">When the prompt last changed: a new version or a live switch (UTC).</param>
public sealed record Prompt(string Name, string Body, IReadOnlyList<string> Variables, int VersionNumber, DateTimeOffset UpdatedAt);

/// <summary>A new prompt, or the next immutable version of one.</summary>
/// <param name="Name">The prompt's name.</param>
/// <param name="Body">The new version's text.</param>
/// <param name="Variables">The variable names it declares (those the body uses, when none were given).</param>
/// <param name="VersionNumber">The new version's number (1 for a new prompt).</param>
/// <param name="Live">Whether it is live: a prompt's first version is, later ones wait for <see cref="PromptsClient.SetLiveAsync"/>.</param>
/// <param name="CreatedAt">When the version was created (UTC).</param>
public sealed record CreatedPrompt(string Name, string Body, IReadOnlyList<string> Variables, int VersionNumber, bool Live, DateTimeOffset CreatedAt);

/// <summary>A prompt in the list.</summary>
/// <param name="Name">The prompt's name.</param>
/// <param name="LiveVersion">The live version's number; null when none is live.</param>
/// <param name="LatestVersion">The newest version's number.</param>
/// <param name="UpdatedAt">When the prompt last changed (UTC).</param>
public sealed record PromptSummary(string Name, int? LiveVersion, int LatestVersion, DateTimeOffset UpdatedAt);

/// <summary>One page of the environment's prompts, by name.</summary>
/// <param name="Items">The prompts of this page.</param>
/// <param name="Total">How many prompts the environment has in all.</param>
/// <param name="Page">This page's number (from 1).</param>
/// <param name="PageSize">The page size asked for (1 to 100).</param>
/// <param name="TotalPages">How many pages there are at this page size (0 when there are no prompts).</param>
public sealed record PromptPage(IReadOnlyList<PromptSummary> Items, int Total, int Page, int PageSize, int TotalPages);

/// <summary>One immutable version of a prompt.</summary>
/// <param name="VersionNumber">The version's number (from 1).</param>
/// <param name="Body">Its text, with <c>{{name}}</c> placeholders.</param>
/// <param name="Variables">The variable names it declares.</param>
/// <param name="Live">Whether it is the live version.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record PromptVersion(int VersionNumber, string Body, IReadOnlyList<string> Variables, bool Live, DateTimeOffset CreatedAt);

/// <summary>Every version of a prompt.</summary>
/// <param name="Name">The prompt's name.</param>
/// <param name="LiveVersion">The live version's number; null when none is live.</param>
/// <param name="Items">The versions, oldest first.</param>
public sealed record PromptVersions(string Name, int? LiveVersion, IReadOnlyList<PromptVersion> Items);

/// <summary>A search hit that filled a rendered prompt's <c>{{context}}</c>.</summary>
/// <param name="ChunkId">The matched search entry's id (a number, as a string).</param>
/// <param name="FileId">The file it comes from.</param>
/// <param name="FileName">That file's name.</param>
/// <param name="PageNumber">The page it is on (from 1), for documents; else null.</param>
/// <param name="StartTime">Where it starts in the media, in seconds; null for documents.</param>
/// <param name="EndTime">Where it ends in the media, in seconds; null for documents.</param>
/// <param name="Score">How well it matches the query, 0 to 1 (higher is better).</param>
public sealed record PromptSource(string ChunkId, Guid FileId, string FileName, int? PageNumber, double? StartTime, double? EndTime, double Score);

/// <summary>The live version of a prompt with its variables filled.</summary>
/// <param name="Name">The prompt's name.</param>
/// <param name="VersionNumber">The version rendered (the live one).</param>
/// <param name="Prompt">The filled-in text.</param>
/// <param name="Variables">The values used, <c>context</c> included when search filled it.</param>
/// <param name="Sources">The search hits in <c>{{context}}</c>, best first; empty without a query.</param>
public sealed record RenderedPrompt(
    string Name, int VersionNumber, string Prompt, IReadOnlyDictionary<string, string> Variables, IReadOnlyList<PromptSource> Sources);
