using System.Buffers.Binary;

namespace Mnemo.Server.Tools;

/// <summary>What a zip's central directory says of itself, read without opening the archive.</summary>
public static class ZipDirectory
{
    /// <summary>
    /// The entry count the end-of-central-directory record declares, read without opening the archive (which
    /// would build an object per entry); 65535 for a ZIP64 archive, whose real count is at least that.
    /// Null when the record is not found.
    /// </summary>
    public static int? DeclaredEntryCount(string path)
    {
        using var file = File.OpenRead(path);
        var tail = (int)Math.Min(file.Length, 22 + ushort.MaxValue);
        var bytes = new byte[tail];
        file.Seek(-tail, SeekOrigin.End);
        file.ReadExactly(bytes);
        for (var i = tail - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == 0x06054b50)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 10));
            }
        }

        return null;
    }
}
