using System.Buffers.Text;
using System.Security.Cryptography;

namespace Mnemo.Server.Accounts;

/// <summary>
/// Key format: <c>sk-mnemo-</c> + 256 random bits in base64url (43 characters). The key is shown once;
/// the store keeps its SHA-256 (a fast hash is enough for 256-bit random secrets: there is nothing to
/// brute-force) and a readable prefix to tell keys apart.
/// </summary>
public static class ApiKeys
{
    public const string Scheme = "sk-mnemo-";
    private const int SecretChars = 43;

    public sealed record NewKey(string Secret, string Prefix, string Hash);

    public static NewKey Generate()
    {
        var secret = Scheme + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new NewKey(secret, PrefixOf(secret), HashOf(secret));
    }

    public static bool IsWellFormed(string candidate) =>
        candidate.Length == Scheme.Length + SecretChars
        && candidate.StartsWith(Scheme, StringComparison.Ordinal)
        && candidate.AsSpan(Scheme.Length).IndexOfAnyExcept(Base64UrlChars) < 0;

    public static string HashOf(string secret) => KeyHash.Of(secret).ToString();

    public static string PrefixOf(string secret) => secret[..(Scheme.Length + 8)];

    private static readonly System.Buffers.SearchValues<char> Base64UrlChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
