using System.Globalization;
using System.Runtime.CompilerServices;
using Mnemo.Client.Http;

namespace Mnemo.Client;

/// <summary>
/// The memic surface (<c>/api/v1</c>): files, search, prompts, usage. Thread-safe; build one and share it.
/// Retries transient failures (docs/sdk.md) and throws <see cref="MnemoApiException"/> for the rest.
/// </summary>
public sealed class MnemoClient : IDisposable
{
    private const string Prefix = "api/v1";
    private readonly MnemoTransport transport;

    /// <summary>Builds a client that sends the key as <c>X-API-Key</c>; invalid options throw an <see cref="ArgumentException"/>.</summary>
    /// <param name="options">The server, the key, retries and timeouts.</param>
    public MnemoClient(MnemoClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        transport = new MnemoTransport(options, KeyHeader.XApiKey);
        Files = new FilesClient(transport, Prefix);
        Prompts = new PromptsClient(transport, Prefix);
    }

    /// <summary>The options the client was built with.</summary>
    public MnemoClientOptions Options => transport.Options;

    /// <summary>Files: upload, read, list, wait until ready, content, download, delete.</summary>
    public FilesClient Files { get; }

    /// <summary>Prompts: versions, the live one, rendering.</summary>
    public PromptsClient Prompts { get; }

    /// <summary>The organization, project and environment of the key.</summary>
    public Task<Me> GetMeAsync(CancellationToken cancellationToken = default) =>
        transport.GetAsync<Me>($"{Prefix}/me", cancellationToken);

    /// <summary>Chunks of this environment's files that match a query, best first.</summary>
    public Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.PostAsync<SearchResponse>($"{Prefix}/search", request, cancellationToken);
    }

    /// <summary>Searches with a query alone; <paramref name="topK"/> is 1 to 50 (the server's default is 10).</summary>
    public Task<SearchResponse> SearchAsync(string query, int? topK = null, CancellationToken cancellationToken = default) =>
        SearchAsync(new SearchRequest(query) { TopK = topK }, cancellationToken);

    /// <summary>The balance and one page of the ledger, newest first.</summary>
    public Task<Usage> GetUsageAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        if (limit is { } n)
        {
            query.Add("limit=" + n.ToString(CultureInfo.InvariantCulture));
        }

        return transport.GetAsync<Usage>($"{Prefix}/usage" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken);
    }

    /// <summary>Every ledger entry, newest first, following the cursor page after page.</summary>
    public async IAsyncEnumerable<UsageEntry> ListUsageEntriesAsync(
        int pageSize = 200, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await GetUsageAsync(cursor, pageSize, cancellationToken);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>Closes the client's connections; a <see cref="MnemoClientOptions.HttpMessageHandler"/> is left to its owner.</summary>
    public void Dispose() => transport.Dispose();
}
