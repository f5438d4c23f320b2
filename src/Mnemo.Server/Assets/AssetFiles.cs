using System.Globalization;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// An asset's keys in the byte store (<c>assets/&lt;id&gt;/original</c>, derived files beside it; deleting an
/// asset removes its whole folder), and the local folders around it: uploads in flight under
/// <c>&lt;data&gt;/assets/.incoming/&lt;instance&gt;</c>, tools' scratch space under <c>&lt;data&gt;/assets/.work/&lt;instance&gt;</c>.
/// Each instance holds an exclusive lock on a file in its own folder for as long as it runs, so at start
/// an instance knows which folders a crashed instance left (the lock died with it) and removes them at
/// once, without touching those of instances that share the data directory and are still running.
/// </summary>
public sealed class AssetFiles : IDisposable
{
    private const string LockName = ".lock";
    private readonly string incomingRoot;
    private readonly string workRoot;
    private readonly string work;
    private readonly FileStream instanceLock;

    public AssetFiles(DataDirectory data, IBlobStore store)
    {
        Store = store;
        var instance = Guid.NewGuid().ToString("N");
        incomingRoot = Path.Combine(data.Root, "assets", ".incoming");
        workRoot = Path.Combine(data.Root, "assets", ".work");
        Incoming = Path.Combine(incomingRoot, instance);
        work = Path.Combine(workRoot, instance);
        Directory.CreateDirectory(Incoming);
        Directory.CreateDirectory(work);
        instanceLock = Hold(Path.Combine(Incoming, LockName))
            ?? throw new IOException($"Cannot lock {Incoming}: the data directory must allow file locks.");
    }

    public IBlobStore Store { get; }

    public string Incoming { get; }

    public static string FolderOf(long assetId) => $"assets/{assetId.ToString(CultureInfo.InvariantCulture)}/";

    public static string OriginalOf(long assetId) => FolderOf(assetId) + "original";

    public static string ThumbnailsOf(long assetId) => FolderOf(assetId) + "thumbs/";

    public string NewIncomingPath() => Path.Combine(Incoming, Guid.NewGuid().ToString("N"));

    /// <summary>A fresh local folder for one job's tool output; deleted with the returned handle.</summary>
    public Scratch NewScratch() => new(Directory.CreateDirectory(Path.Combine(work, Guid.NewGuid().ToString("N"))).FullName);

    public Task MoveInAsync(string incomingPath, long assetId, CancellationToken ct) => Store.PutAsync(OriginalOf(assetId), incomingPath, ct);

    /// <summary>Never cancelled: it runs where work is being undone.</summary>
    public Task DeleteAllAsync(long assetId) => Store.DeleteFolderAsync(FolderOf(assetId), CancellationToken.None);

    /// <summary>Every file of a local folder into the store under <paramref name="folder"/>, names kept.</summary>
    public async Task PutFolderAsync(string localFolder, string folder, CancellationToken ct)
    {
        foreach (var file in Directory.EnumerateFiles(localFolder).Order(StringComparer.Ordinal))
        {
            await Store.PutAsync(folder + Path.GetFileName(file), file, ct);
        }
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Removes what crashed instances left: the folders of every instance whose lock is free (its process
    /// is gone), and loose files of the older one-folder layout untouched for <paramref name="idleFor"/>.
    /// </summary>
    /// <returns>The bytes removed.</returns>
    public long ClearLeftovers(TimeSpan idleFor)
    {
        long removed = 0;
        var before = DateTime.UtcNow - idleFor;
        foreach (var folder in Directory.EnumerateDirectories(incomingRoot).Where(f => f != Incoming))
        {
            var lockPath = Path.Combine(folder, LockName);
            if (!File.Exists(lockPath))
            {
                if (Directory.GetCreationTimeUtc(folder) > DateTime.UtcNow.AddMinutes(-1))
                {
                    continue; // an instance starting up, about to take its lock
                }
            }
            else if (Hold(lockPath, createIfMissing: false) is { } dead)
            {
                dead.Dispose();
            }
            else
            {
                continue; // a live instance
            }

            removed += SizeOf(folder);
            new Scratch(folder).Dispose();
            new Scratch(Path.Combine(workRoot, Path.GetFileName(folder))).Dispose();
        }

        foreach (var file in Directory.EnumerateFiles(incomingRoot).Where(f => File.GetLastWriteTimeUtc(f) < before))
        {
            removed += new FileInfo(file).Length;
            DeleteQuietly(file);
        }

        foreach (var folder in Directory.EnumerateDirectories(workRoot)
            .Where(d => d != work && !Directory.Exists(Path.Combine(incomingRoot, Path.GetFileName(d))) && Directory.GetLastWriteTimeUtc(d) < before))
        {
            new Scratch(folder).Dispose();
        }

        return removed;
    }

    /// <summary>Opens the file with an exclusive lock (flock on Unix); null when another process holds it.</summary>
    private static FileStream? Hold(string path, bool createIfMissing = true)
    {
        try
        {
            return new FileStream(path, createIfMissing ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long SizeOf(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A clean stop leaves nothing behind: what was in flight was cut off and will not be finished.</summary>
    public void Dispose()
    {
        instanceLock.Dispose();
        new Scratch(Incoming).Dispose();
        new Scratch(work).Dispose();
    }

    public sealed record Scratch(string Path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
