using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// Where bytes live: <c>&lt;data&gt;/assets/&lt;id&gt;/original</c>, derived files beside it, uploads in flight
/// under <c>&lt;data&gt;/assets/.incoming</c>. Deleting an asset removes its whole folder.
/// </summary>
public sealed class AssetFiles
{
    public AssetFiles(DataDirectory data)
    {
        Root = Path.Combine(data.Root, "assets");
        Incoming = Path.Combine(Root, ".incoming");
        Directory.CreateDirectory(Incoming);
    }

    public string Root { get; }

    public string Incoming { get; }

    public string FolderOf(long assetId) => Path.Combine(Root, assetId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string OriginalOf(long assetId) => Path.Combine(FolderOf(assetId), "original");

    public string ThumbnailsOf(long assetId) => Path.Combine(FolderOf(assetId), "thumbs");

    public string NewIncomingPath() => Path.Combine(Incoming, Guid.NewGuid().ToString("N"));

    public void MoveIn(string incomingPath, long assetId)
    {
        Directory.CreateDirectory(FolderOf(assetId));
        File.Move(incomingPath, OriginalOf(assetId), overwrite: true);
    }

    public void DeleteAll(long assetId)
    {
        var folder = FolderOf(assetId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
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
    /// Uploads cut off by a crash leave partial files; nothing refers to them. Only files untouched for
    /// <paramref name="idleFor"/> go: instances sharing the data directory may be receiving the others.
    /// </summary>
    public void ClearIncoming(TimeSpan idleFor)
    {
        var before = DateTime.UtcNow - idleFor;
        foreach (var file in Directory.EnumerateFiles(Incoming))
        {
            if (File.GetLastWriteTimeUtc(file) < before)
            {
                DeleteQuietly(file);
            }
        }
    }
}
