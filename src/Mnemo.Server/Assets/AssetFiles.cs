using System.Globalization;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// An asset's keys in the byte store (<c>assets/&lt;id&gt;/original</c>, derived files beside it; deleting an
/// asset removes its whole folder), and the local folders around it: uploads in flight under
/// <c>&lt;data&gt;/assets/.incoming</c>, tools' scratch space under <c>&lt;data&gt;/assets/.work</c>.
/// </summary>
public sealed class AssetFiles
{
    private readonly string work;

    public AssetFiles(DataDirectory data, IBlobStore store)
    {
        Store = store;
        Incoming = Path.Combine(data.Root, "assets", ".incoming");
        work = Path.Combine(data.Root, "assets", ".work");
        Directory.CreateDirectory(Incoming);
        Directory.CreateDirectory(work);
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
    /// Uploads and jobs cut off by a crash leave partial files; nothing refers to them. Only what is untouched
    /// for <paramref name="idleFor"/> goes: instances sharing the data directory may be writing the others.
    /// </summary>
    public void ClearLeftovers(TimeSpan idleFor)
    {
        var before = DateTime.UtcNow - idleFor;
        foreach (var file in Directory.EnumerateFiles(Incoming).Where(f => File.GetLastWriteTimeUtc(f) < before))
        {
            DeleteQuietly(file);
        }

        foreach (var folder in Directory.EnumerateDirectories(work).Where(d => Directory.GetLastWriteTimeUtc(d) < before))
        {
            new Scratch(folder).Dispose();
        }
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
