using System.Security.Cryptography;
using System.Text;

namespace Mnemo.Server.Accounts;

/// <summary>The operator's bearer token for /admin (MNEMO_ADMIN_TOKEN). Without one, /admin is not mapped.</summary>
public sealed class AdminToken(IConfiguration configuration)
{
    public const string Key = "MNEMO_ADMIN_TOKEN";

    private readonly byte[]? expected = configuration[Key] is { Length: > 0 } token ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;

    public bool Enabled => expected is not null;

    /// <summary>Compares digests in constant time, so neither length nor content leaks through timing.</summary>
    public bool Matches(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return expected is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
    }
}
