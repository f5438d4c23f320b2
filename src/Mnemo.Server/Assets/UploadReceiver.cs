using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Assets;

/// <summary>A file on disk under .incoming, measured, hashed and recognised, not yet an asset.</summary>
public sealed record IncomingFile(string Path, string FileName, long Size, string Sha256, FileFormat Format);

/// <summary>
/// Streams one upload to disk in fixed-size blocks, hashing as it copies, so memory stays flat whatever
/// the size. The first block decides the format's size limit, which is enforced while copying.
/// </summary>
public sealed class UploadReceiver(AssetFiles files, FormatDetector detector, IOptions<AssetOptions> options)
{
    private const int BlockSize = 128 * 1024;

    /// <param name="ceiling">A lower limit than the format's (memic's limit, a declared size).</param>
    public async Task<IncomingFile> ReceiveAsync(Stream source, string fileName, long? ceiling, CancellationToken ct)
    {
        var path = files.NewIncomingPath();
        try
        {
            return await CopyAsync(source, path, fileName, ceiling, ct);
        }
        catch
        {
            AssetFiles.DeleteQuietly(path);
            throw;
        }
    }

    private async Task<IncomingFile> CopyAsync(Stream source, string path, string fileName, long? ceiling, CancellationToken ct)
    {
        var limits = options.Value;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, FormatDetector.SniffBytes));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        FileFormat? sniffed;
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BlockSize, FileOptions.Asynchronous);
            var first = await ReadAsync(() => source.ReadAtLeastAsync(buffer.AsMemory(0, FormatDetector.SniffBytes), FormatDetector.SniffBytes, throwOnEndOfStream: false, ct));
            sniffed = FormatDetector.Sniff(buffer.AsSpan(0, first));
            var limit = Math.Min(limits.MaxBytesFor(sniffed?.Kind), ceiling ?? long.MaxValue);
            var read = first;
            while (read > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw TooLarge(limit);
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                read = await ReadAsync(() => source.ReadAsync(buffer.AsMemory(0, BlockSize), ct));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (total == 0)
        {
            throw new ApiException(ApiError.InvalidRequest("The uploaded file is empty."));
        }

        var format = await detector.DetectAsync(path, fileName, sniffed, ct)
            ?? throw Unsupported(fileName);
        var kindLimit = Math.Min(limits.MaxBytesFor(format.Kind), ceiling ?? long.MaxValue);
        if (total > kindLimit)
        {
            throw TooLarge(kindLimit);
        }

        return new IncomingFile(path, fileName, total, Convert.ToHexStringLower(hash.GetHashAndReset()), format);
    }

    /// <summary>A failed read is the sender's doing (it left, or sent too slowly), unlike a failed write (503).</summary>
    private static async Task<int> ReadAsync(Func<ValueTask<int>> read)
    {
        try
        {
            return await read();
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new ApiException(ApiError.InvalidRequest("The upload ended before the whole file arrived."));
        }
    }

    public static ApiException TooLarge(long limit) =>
        new(new ApiError(ErrorCatalog.FileTooLarge, $"The file is larger than the {limit} bytes allowed for it (its format's limit, or the size declared for this upload)."));

    public static ApiException Unsupported(string fileName) =>
        new(new ApiError(ErrorCatalog.InvalidFileType,
            $"The content of '{fileName}' is not a supported format (video MP4, MOV, AVI, WebM, MKV, FLV, WMV, MPEG; audio MP3, WAV, AAC, FLAC, OGG, M4A; image JPEG, PNG, GIF, WebP, BMP, TIFF; documents PDF, DOCX, PPTX, XLSX, TXT, Markdown, HTML, SRT, VTT)."));
}
