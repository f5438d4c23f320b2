using System.Globalization;
using Mnemo.Client.Http;

namespace Mnemo.Client;

/// <summary>memic prompts: immutable versions, one live; the live one renders with variables and search context.</summary>
public sealed class PromptsClient
{
    private readonly MnemoTransport transport;
    private readonly string prefix;

    internal PromptsClient(MnemoTransport transport, string prefix)
    {
        this.transport = transport;
        this.prefix = prefix + "/prompts";
    }

    /// <summary>Creates a prompt, or the next version of one; <c>{{name}}</c> in the body are its variables.</summary>
    public Task<CreatedPrompt> CreateAsync(string name, string body, IReadOnlyList<string>? variables = null, CancellationToken cancellationToken = default) =>
        transport.PostAsync<CreatedPrompt>(prefix, new { name, body, variables }, cancellationToken);

    /// <summary>One page (from 1; 1–100 prompts) of this environment's prompts, by name.</summary>
    public Task<PromptPage> ListAsync(int page = 1, int pageSize = 20, CancellationToken cancellationToken = default) =>
        transport.GetAsync<PromptPage>(string.Create(CultureInfo.InvariantCulture, $"{prefix}?page={page}&page_size={pageSize}"), cancellationToken);

    /// <summary>The live version; <see cref="NotFoundException"/> (prompt_not_found) when none is live.</summary>
    public Task<Prompt> GetAsync(string name, CancellationToken cancellationToken = default) =>
        transport.GetAsync<Prompt>($"{prefix}/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Every version of a prompt, oldest first, and which one is live.</summary>
    public Task<PromptVersions> GetVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        transport.GetAsync<PromptVersions>($"{prefix}/{Uri.EscapeDataString(name)}/versions", cancellationToken);

    /// <summary>Makes a version the live one.</summary>
    public Task<Prompt> SetLiveAsync(string name, int versionNumber, CancellationToken cancellationToken = default) =>
        transport.PostAsync<Prompt>(
            string.Create(CultureInfo.InvariantCulture, $"{prefix}/{Uri.EscapeDataString(name)}/versions/{versionNumber}/live"), null, cancellationToken);

    /// <summary>Fills the live version's variables; a <paramref name="query"/> fills <c>{{context}}</c> from search.</summary>
    public Task<RenderedPrompt> RenderAsync(
        string name, IReadOnlyDictionary<string, string>? variables = null, string? query = null, int? topK = null,
        CancellationToken cancellationToken = default) =>
        transport.PostAsync<RenderedPrompt>($"{prefix}/{Uri.EscapeDataString(name)}/render",
            new { variables, query, top_k = topK }, cancellationToken);
}
