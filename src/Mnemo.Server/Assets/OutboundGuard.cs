using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Assets;

/// <summary>Looks a host name up (DNS by default; a seam for tests).</summary>
public delegate Task<IPAddress[]> ResolveHost(string host, CancellationToken ct);

/// <summary>
/// Outbound requests the server makes for users (upload_url downloads, callbacks) go only to public
/// addresses unless the operator allows private ones, so a user cannot reach the server's own network.
/// The check runs on every connection (a redirect too): the name is resolved once, every address it
/// resolves to must be public, and the socket connects to exactly those addresses, so a name cannot
/// answer one address to the check and another to the connection (DNS rebinding).
/// </summary>
public static class OutboundGuard
{
    private static readonly IPNetwork[] NonPublicV4 = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    }.Select(IPNetwork.Parse)];

    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    // Inside 2000::/3 but not the public internet: IETF assignments (Teredo, benchmarking, ORCHID), documentation.
    private static readonly IPNetwork[] NonPublicV6 = [IPNetwork.Parse("2001::/23"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("3fff::/20")];

    // These carry an IPv4 address, which decides.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static SocketsHttpHandler Handler(IServiceProvider services) => Handler(
        services.GetRequiredService<IOptions<AssetOptions>>().Value.AllowPrivateUrls, services.GetRequiredService<ResolveHost>());

    public static SocketsHttpHandler Handler(bool allowPrivate, ResolveHost resolve) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        // Through a proxy the connection would go to the proxy's address and the target would go unchecked.
        UseProxy = false,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolve(host, ct);
            if (addresses.Length == 0)
            {
                throw new HttpRequestException($"'{host}' has no address.");
            }

            if (!allowPrivate && addresses.Any(IsPrivate))
            {
                throw new HttpRequestException($"'{host}' is or resolves to a private or local address, which this server does not call.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The URL names a private address itself (a literal or localhost); a name is only known at connection time.</summary>
    public static bool IsPrivateHost(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IsPrivate(address));

    public static bool IsPrivate(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return NonPublicV4.Any(n => n.Contains(address));
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsPrivate(address.MapToIPv4());
        }

        if (Nat64.Contains(address))
        {
            return IsPrivate(new IPAddress(address.GetAddressBytes().AsSpan(12, 4)));
        }

        if (SixToFour.Contains(address))
        {
            return IsPrivate(new IPAddress(address.GetAddressBytes().AsSpan(2, 4)));
        }

        // Everything outside global unicast: ::, ::1, IPv4-compatible ::a.b.c.d, unique-local, link-local, multicast.
        return !GlobalUnicastV6.Contains(address) || NonPublicV6.Any(n => n.Contains(address));
    }
}
