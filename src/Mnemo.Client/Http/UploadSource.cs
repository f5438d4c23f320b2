using System.Net;

namespace Mnemo.Client.Http;

/// <summary>
/// Bytes to upload that can be sent again on a retry: a file is reopened, a seekable stream rewound,
/// and any other stream is first copied to a temporary file.
/// </summary>
internal sealed class UploadSource : IAsyncDisposable
{
    private readonly string? path;
    private readonly Stream? stream;
    private readonly long origin;
    private readonly bool ownsStream;

    private UploadSource(string fileName, long length, string? path, Stream? stream, bool ownsStream)
    {
        FileName = fileName;
        Length = length;
        this.path = path;
        this.stream = stream;
        this.ownsStream = ownsStream;
        origin = stream?.Position ?? 0;
    }

    public string FileName { get; }

    public long Length { get; }

    public static UploadSource FromPath(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"No file at {path}.", path);
        }

        return new UploadSource(info.Name, info.Length, info.FullName, null, ownsStream: false);
    }

    public static async Task<UploadSource> FromStreamAsync(Stream stream, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (stream.CanSeek)
        {
            return new UploadSource(fileName, stream.Length - stream.Position, null, stream, ownsStream: false);
        }

        var copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await stream.CopyToAsync(copy, cancellationToken);
        copy.Position = 0;
        return new UploadSource(fileName, copy.Length, null, copy, ownsStream: true);
    }

    /// <summary>Writes every byte from the start, reporting the running count.</summary>
    public async Task CopyToAsync(Stream target, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var source = stream ?? new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        try
        {
            source.Position = origin;
            var buffer = new byte[81920];
            long sent = 0;
            progress?.Report(0);
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
                progress?.Report(sent);
            }
        }
        finally
        {
            if (stream is null)
            {
                await source.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (ownsStream && stream is not null)
        {
            await stream.DisposeAsync();
        }
    }
}

/// <summary>The file part of an upload: streams the source with progress, a fresh instance per attempt.</summary>
internal sealed class UploadContent(UploadSource source, IProgress<long>? progress) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        source.CopyToAsync(stream, progress, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        source.CopyToAsync(stream, progress, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = source.Length;
        return true;
    }
}
