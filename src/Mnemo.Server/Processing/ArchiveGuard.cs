using System.IO.Compression;

namespace Mnemo.Server.Processing;

/// <summary>
/// Refuses a zip (an Office file) that would unpack into more than a parser should read: too many entries,
/// too many bytes in all, or an entry packed far tighter than real content packs. It judges what the central
/// directory declares, so a bomb fails before a byte is unpacked. A header that understates its entry gains
/// nothing: ZipArchive, which OpenXml reads through, never yields more than an entry declares (a 50 MB entry
/// declared as 1000 bytes reads as 1000 bytes and then fails as broken XML; ContainerLimitTests).
/// </summary>
public static class ArchiveGuard
{
    /// <summary>An entry is not judged by its ratio until it unpacks past this: small XML parts pack tightly too.</summary>
    public const long RatioGraceBytes = 1024 * 1024;

    public static void Check(string path, ProcessingOptions limits)
    {
        if (Tools.ZipDirectory.DeclaredEntryCount(path) is { } declared && declared > limits.MaxArchiveEntries)
        {
            throw TooManyEntries(declared, limits);
        }

        using var zip = ZipFile.OpenRead(path);
        if (zip.Entries.Count > limits.MaxArchiveEntries)
        {
            throw TooManyEntries(zip.Entries.Count, limits);
        }

        long total = 0;
        foreach (var entry in zip.Entries)
        {
            if (entry.Length > RatioGraceBytes && entry.Length > (decimal)Math.Max(1, entry.CompressedLength) * limits.MaxCompressionRatio)
            {
                throw new ParseFailedException(
                    $"The entry {entry.FullName} unpacks to {entry.Length / Math.Max(1, entry.CompressedLength)} times its packed size ({entry.CompressedLength} bytes), "
                    + $"beyond the compression ratio limit of {limits.MaxCompressionRatio}: a decompression bomb is not parsed.");
            }

            total += entry.Length;
            if (total > limits.MaxExpandedBytes)
            {
                throw new ParseFailedException(
                    $"The file unpacks to more than {limits.MaxExpandedBytes} bytes, beyond the unpacked size limit of {limits.MaxExpandedBytes} bytes.");
            }
        }
    }

    private static ParseFailedException TooManyEntries(int count, ProcessingOptions limits) =>
        new($"The file holds {count}{(count >= ushort.MaxValue ? " or more" : "")} entries, beyond the limit of {limits.MaxArchiveEntries} entries.");
}
