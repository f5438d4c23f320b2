using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Mnemo.Client.Http;

namespace Mnemo.Client;

/// <summary>memic files: upload (one call, or init → PUT → confirm), read, list, wait, download, delete.</summary>
public sealed class FilesClient
{
    private readonly MnemoTransport transport;
    private readonly string prefix;

    internal FilesClient(MnemoTransport transport, string prefix)
    {
        this.transport = transport;
        this.prefix = prefix + "/files";
    }

    /// <summary>Uploads a file in one multipart call; <paramref name="progress"/> gets the bytes sent so far (from 0 again on a retry).</summary>
    public async Task<MnemoFile> UploadAsync(
        string path, UploadFileOptions? options = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var source = UploadSource.FromPath(path);
        return await UploadAsync(source, options, progress, cancellationToken);
    }

    /// <summary>Uploads from a stream: a seekable one is rewound on a retry, any other is first copied to a temporary file.</summary>
    public async Task<MnemoFile> UploadAsync(
        Stream content, string fileName, UploadFileOptions? options = null, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var source = await UploadSource.FromStreamAsync(content, fileName, cancellationToken);
        return await UploadAsync(source, options, progress, cancellationToken);
    }

    private async Task<MnemoFile> UploadAsync(UploadSource source, UploadFileOptions? options, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>();
        if (options?.ReferenceId is { } referenceId)
        {
            fields["reference_id"] = referenceId;
        }

        if (options?.Metadata is { } metadata)
        {
            fields["metadata"] = metadata.GetRawText();
        }

        if (options?.FolderId is { } folderId)
        {
            fields["folder_id"] = folderId;
        }

        if (options?.EnvironmentSlug is { } environment)
        {
            fields["environment_slug"] = environment;
        }

        using var response = await transport.SendAsync(MnemoTransport.Multipart(prefix, source, progress, fields), transfer: true, cancellationToken);
        return await MnemoTransport.ReadJsonAsync<MnemoFile>(response, cancellationToken);
    }

    /// <summary>Starts a three-step upload: returns the one-time URL to PUT the bytes to.</summary>
    public Task<FileUploadInit> InitUploadAsync(
        string fileName, long size, string mimeType, UploadFileOptions? options = null, CancellationToken cancellationToken = default) =>
        transport.PostAsync<FileUploadInit>($"{prefix}/init", new
        {
            filename = fileName,
            size,
            mime_type = mimeType,
            metadata = options?.Metadata,
            reference_id = options?.ReferenceId,
            folder_id = options?.FolderId,
            environment_slug = options?.EnvironmentSlug,
        }, cancellationToken);

    /// <summary>PUTs the bytes to an init's upload URL (the URL is the credential).</summary>
    public async Task PutUploadAsync(FileUploadInit init, string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(init);
        await using var source = UploadSource.FromPath(path);
        using var _ = await transport.SendAsync(() =>
        {
            var content = new UploadContent(source, progress);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Put, new Uri(init.UploadUrl)) { Content = content };
        }, transfer: true, cancellationToken);
    }

    /// <summary>Ends a three-step upload; the file starts processing.</summary>
    public Task<MnemoFile> ConfirmAsync(Guid fileId, CancellationToken cancellationToken = default) =>
        transport.PostAsync<MnemoFile>($"{prefix}/{fileId}/confirm", null, cancellationToken);

    /// <summary>One file of this environment; <see cref="NotFoundException"/> (asset_not_found) for an unknown id.</summary>
    public Task<MnemoFile> GetAsync(Guid fileId, CancellationToken cancellationToken = default) =>
        transport.GetAsync<MnemoFile>($"{prefix}/{fileId}", cancellationToken);

    /// <summary>The same file from <c>files/{id}/status</c>, the endpoint pollers read <c>status</c> and <c>error_message</c> from.</summary>
    public Task<MnemoFile> GetStatusAsync(Guid fileId, CancellationToken cancellationToken = default) =>
        transport.GetAsync<MnemoFile>($"{prefix}/{fileId}/status", cancellationToken);

    /// <summary>The extracted text or transcript; <see cref="ConflictException"/> (file_still_processing) before ready.</summary>
    public Task<FileContent> GetContentAsync(Guid fileId, CancellationToken cancellationToken = default) =>
        transport.GetAsync<FileContent>($"{prefix}/{fileId}/content", cancellationToken);

    /// <summary>One page (from 1; 1–100 files), newest first.</summary>
    public Task<FilePage> ListPageAsync(int page = 1, int pageSize = 20, CancellationToken cancellationToken = default) =>
        transport.GetAsync<FilePage>(
            string.Create(CultureInfo.InvariantCulture, $"{prefix}?page={page}&page_size={pageSize}"), cancellationToken);

    /// <summary>Every file, newest first, page after page.</summary>
    public async IAsyncEnumerable<MnemoFile> ListAsync(int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var page = 1; ; page++)
        {
            var result = await ListPageAsync(page, pageSize, cancellationToken);
            foreach (var file in result.Items)
            {
                yield return file;
            }

            if (page >= result.TotalPages || result.Items.Count == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Polls the status until the file is ready or failed (check <see cref="MnemoFile.Status"/>), waiting
    /// 250 ms, then twice as long each time up to 5 s; <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public Task<MnemoFile> WaitUntilReadyAsync(Guid fileId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Polling.UntilAsync(ct => GetStatusAsync(fileId, ct), f => f.IsFinished, timeout, $"file {fileId}", cancellationToken);

    /// <summary>Writes the original bytes to <paramref name="destination"/>; returns the file name the server gave.</summary>
    public Task<string?> DownloadAsync(Guid fileId, Stream destination, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Downloads.CopyAsync(transport, $"{prefix}/{fileId}/download", destination, progress, cancellationToken);

    /// <summary>Deletes the file, its bytes and everything derived from them.</summary>
    public Task DeleteAsync(Guid fileId, CancellationToken cancellationToken = default) =>
        transport.DeleteAsync($"{prefix}/{fileId}", cancellationToken);
}
