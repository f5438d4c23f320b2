namespace Mnemo.Server.Storage;

/// <summary>Keys are paths under MNEMO_DATA_DIR; a put is a rename, so moving an upload in costs nothing.</summary>
public sealed class DiskBlobStore(DataDirectory data) : IBlobStore
{
    public Task PutAsync(string key, string localFile, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(localFile, path, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : null;
        return Task.FromResult(stream);
    }

    public Task<string> LocalPathAsync(string key, string scratchDir, CancellationToken ct) => Task.FromResult(PathOf(key));

    public Task DeleteFolderAsync(string folder, CancellationToken ct)
    {
        var path = PathOf(folder);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(data.Root, key));
        return path.StartsWith(data.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"The key '{key}' leaves the data directory.", nameof(key));
    }
}
