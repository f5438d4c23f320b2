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

    public MnemoClient(MnemoClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        transport = new MnemoTransport(options, KeyHeader.XApiKey);
        Files = new FilesClient(transport, Prefix);
        Prompts = new PromptsClient(transport, Prefix);
    }

    public MnemoClientOptions Options => transport.Options;

    public FilesClient Files { get; }

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

    public void Dispose() => transport.Dispose();
}
