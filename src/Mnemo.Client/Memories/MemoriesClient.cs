using System.Runtime.CompilerServices;
using Mnemo.Client.Http;

namespace Mnemo.Client.Memories;

/// <summary>
/// The memories.ai v2 surface (<c>/serve/api/v2</c>): upload, metadata, download, delete; listing
/// through v1's <c>list_videos</c>. Same retries and exceptions as <see cref="MnemoClient"/>.
/// </summary>
public sealed class MemoriesClient : IDisposable
{
    private const string V2 = "serve/api/v2";
    private const string V1 = "serve/api/v1";
    private readonly MnemoTransport transport;

    /// <summary>Builds a client that sends the key as the <c>Authorization</c> header; invalid options throw an <see cref="ArgumentException"/>.</summary>
    /// <param name="options">The server, the key, retries and timeouts.</param>
    public MemoriesClient(MnemoClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        transport = new MnemoTransport(options, KeyHeader.Authorization);
    }

    /// <summary>The options the client was built with.</summary>
    public MnemoClientOptions Options => transport.Options;

    /// <summary>Uploads a file (multipart); returns its <c>re_…</c> asset id.</summary>
    public async Task<string> UploadAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var source = UploadSource.FromPath(path);
        return await UploadAsync(source, progress, cancellationToken);
    }

    /// <summary>Uploads from a stream (a seekable one is rewound on a retry, any other first copied to a temporary file); returns the <c>re_…</c> asset id.</summary>
    public async Task<string> UploadAsync(Stream content, string fileName, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var source = await UploadSource.FromStreamAsync(content, fileName, cancellationToken);
        return await UploadAsync(source, progress, cancellationToken);
    }

    private async Task<string> UploadAsync(UploadSource source, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var response = await transport.SendAsync(MnemoTransport.Multipart($"{V2}/upload", source, progress, null), transfer: true, cancellationToken);
        return Data(await MnemoTransport.ReadJsonAsync<Envelope<UploadedAsset>>(response, cancellationToken)).AssetId;
    }

    /// <summary>Status and, once parsed, duration, resolution, fps and codecs.</summary>
    public async Task<AssetResource> GetMetadataAsync(string assetId, CancellationToken cancellationToken = default)
    {
        var metadata = Data(await transport.GetAsync<Envelope<AssetMetadata>>($"{V2}/{Uri.EscapeDataString(assetId)}/metadata", cancellationToken));
        return metadata.Resource[0];
    }

    /// <summary>Polls the metadata until SUCCESS or FAILED (as <see cref="FilesClient.WaitUntilReadyAsync"/>).</summary>
    public Task<AssetResource> WaitUntilReadyAsync(string assetId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Polling.UntilAsync(ct => GetMetadataAsync(assetId, ct), r => r.IsFinished, timeout, $"asset {assetId}", cancellationToken);

    /// <summary>Every asset of the default namespace, newest first (v1 list_videos, page after page).</summary>
    public async IAsyncEnumerable<AssetSummary> ListAsync(int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var page = 1; ; page++)
        {
            var list = Data(await transport.PostAsync<Envelope<V1VideoList>>($"{V1}/list_videos", new { page, size = pageSize }, cancellationToken));
            foreach (var v in list.Videos)
            {
                yield return new AssetSummary("re_" + v.VideoNo[2..], v.VideoNo, v.VideoName, v.Duration, v.Size, v.Status, v.Cause, v.CreateTime);
            }

            if (list.Videos.Count == 0 || page * pageSize >= list.TotalCount)
            {
                yield break;
            }
        }
    }

    /// <summary>Writes the original bytes to <paramref name="destination"/>; returns the server's file name.</summary>
    public Task<string?> DownloadAsync(string assetId, Stream destination, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Downloads.CopyAsync(transport, $"{V2}/{Uri.EscapeDataString(assetId)}/download", destination, progress, cancellationToken);

    /// <summary>Deletes the asset, its bytes and everything derived from them.</summary>
    public Task DeleteAsync(string assetId, CancellationToken cancellationToken = default) =>
        transport.DeleteAsync($"{V2}/{Uri.EscapeDataString(assetId)}", cancellationToken);

    private static T Data<T>(Envelope<T> envelope) =>
        envelope.Data ?? throw new MnemoApiException(System.Net.HttpStatusCode.OK, null, $"The answer's data is empty: {envelope.Msg}", null, "");

    /// <summary>Closes the client's connections; a <see cref="MnemoClientOptions.HttpMessageHandler"/> is left to its owner.</summary>
    public void Dispose() => transport.Dispose();
}
