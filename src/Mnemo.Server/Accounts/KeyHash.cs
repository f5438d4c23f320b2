using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mnemo.Server.Accounts;

/// <summary>
/// A key's SHA-256 as a value: what the per-request key lookup uses, so it hashes on the stack and
/// allocates nothing. <see cref="ToString"/> is the stored form (lowercase hex, <see cref="ApiKeys.HashOf"/>).
/// </summary>
public readonly record struct KeyHash(UInt128 High, UInt128 Low)
{
    private const int Size = 32;

    public static KeyHash Of(string secret)
    {
        Span<byte> utf8 = secret.Length <= 128 ? stackalloc byte[128 * 3] : new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        Span<byte> hash = stackalloc byte[Size];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(secret, utf8)], hash);
        return From(hash);
    }

    public static KeyHash Parse(string hex)
    {
        Span<byte> hash = stackalloc byte[Size];
        return Convert.FromHexString(hex, hash, out _, out var written) == OperationStatus.Done && written == Size
            ? From(hash)
            : throw new FormatException("Not a SHA-256 in hex.");
    }

    public override string ToString()
    {
        Span<byte> hash = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt128BigEndian(hash, High);
        BinaryPrimitives.WriteUInt128BigEndian(hash[16..], Low);
        return Convert.ToHexStringLower(hash);
    }

    private static KeyHash From(ReadOnlySpan<byte> hash) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(hash), BinaryPrimitives.ReadUInt128BigEndian(hash[16..]));
}
