using System.Security.Cryptography;

namespace Mnemo.Server.Idempotency;

/// <summary>Passes the request body through while hashing it, so a multi-GB upload is never buffered.</summary>
public sealed class HashingReadStream(Stream inner) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private volatile bool reachedEnd;

    /// <summary>True once a read returned 0: the hash covers the whole body.</summary>
    public bool ReachedEnd => reachedEnd;

    public string HashHex() => Convert.ToHexStringLower(hash.GetCurrentHash());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Observe(buffer.AsSpan(offset, read));
        return read;
    }

    /// <summary>Reads what the endpoint left unread, up to <paramref name="limit"/> bytes; true when the end was reached.</summary>
    public async Task<bool> DrainAsync(long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        for (long total = 0; !ReachedEnd && total <= limit;)
        {
            total += await ReadAsync(buffer, cancellationToken);
        }

        return ReachedEnd;
    }

    /// <summary>Hashes a whole body, discarding it.</summary>
    public static async Task<string> HashToEndAsync(Stream body, CancellationToken cancellationToken)
    {
        await using var hashing = new HashingReadStream(body);
        await hashing.DrainAsync(long.MaxValue, cancellationToken);
        return hashing.HashHex();
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            reachedEnd = true;
            return;
        }

        hash.AppendData(data);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Passes the response through while keeping a copy of its first <paramref name="cap"/> bytes.</summary>
public sealed class CapturingWriteStream(Stream inner, int cap) : Stream
{
    private readonly MemoryStream copy = new();

    private volatile bool overflowed;

    /// <summary>The response was longer than the cap: the copy is incomplete.</summary>
    public bool Overflowed => overflowed;

    public byte[] Captured => copy.ToArray();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Keep(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (overflowed)
        {
            return;
        }

        if (copy.Length + data.Length > cap)
        {
            overflowed = true;
            copy.SetLength(0);
            return;
        }

        copy.Write(data);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
