namespace Mnemo.Server.Storage;

/// <summary>
/// Where stored bytes live, by key: <c>assets/12/original</c>, <c>assets/12/thumbs/0001.jpg</c>,
/// <c>assets/12/tasks/&lt;task&gt;/0001.mp4</c>. The one seam between Mnemo and its byte store: the rest of
/// the server never opens a stored file by path. <see cref="DiskBlobStore"/> (a directory every instance
/// mounts) is the default; <see cref="S3BlobStore"/> keeps the same keys in an S3-compatible bucket.
/// </summary>
public interface IBlobStore
{
    /// <summary>Takes a finished local file into the store under <paramref name="key"/>; the local file is gone afterwards.</summary>
    Task PutAsync(string key, string localFile, CancellationToken ct);

    /// <summary>The bytes as a seekable stream (range requests are served from it), or null when nothing is stored there.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>
    /// A local file for tools that read paths (ffprobe, ffmpeg, pdftotext): the stored file itself where the
    /// store is a directory, otherwise a copy in <paramref name="scratchDir"/>, removed with the scratch directory.
    /// </summary>
    Task<string> LocalPathAsync(string key, string scratchDir, CancellationToken ct);

    /// <summary>Removes every key under <paramref name="folder"/> (a prefix ending in '/').</summary>
    Task DeleteFolderAsync(string folder, CancellationToken ct);
}
