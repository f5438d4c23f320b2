using Microsoft.Extensions.Options;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Assets;

/// <summary>
/// v1 upload_url: fetches a file over http(s) into the same streaming receiver as an upload, so the
/// size limits apply while it downloads; the whole download has a deadline.
/// </summary>
public sealed class UrlDownloader(IHttpClientFactory clients, UploadReceiver receiver, IOptions<AssetOptions> options)
{
    public async Task<IncomingFile> DownloadAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ApiException(ApiError.InvalidRequest("url must be an absolute http(s) URL."));
        }

        var seconds = options.Value.UrlDownloadTimeoutSeconds;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            using var response = await clients.CreateClient(AssetsSetup.UrlDownloadClient)
                .GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiException(ApiError.InvalidRequest($"Downloading url failed: the server answered HTTP {(int)response.StatusCode}."));
            }

            if (response.Content.Headers.ContentLength is { } length && length > options.Value.MaxBytesFor(null))
            {
                throw UploadReceiver.TooLarge(options.Value.MaxBytesFor(null));
            }

            var name = Path.GetFileName(Uri.UnescapeDataString(uri.AbsolutePath));
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            return await receiver.ReceiveAsync(body, string.IsNullOrEmpty(name) ? "download" : name, null, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ApiException(ApiError.InvalidRequest($"Downloading url took longer than {seconds} s."));
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(ApiError.InvalidRequest($"Downloading url failed: {e.Message}"));
        }
    }
}
