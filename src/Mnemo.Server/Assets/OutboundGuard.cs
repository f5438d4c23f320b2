using System.Net;
using System.Net.Sockets;

namespace Mnemo.Server.Assets;

/// <summary>
/// Outbound requests the server makes for users (upload_url downloads, callbacks) go only to public
/// addresses unless the operator allows private ones, so a user cannot reach the server's own network.
/// The check runs on every connection, after DNS, so a redirect or a rebinding name is caught too.
/// </summary>
public static class OutboundGuard
{
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = addresses.Where(a => allowPrivate || !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"'{host}' is a private or local address, which this server does not call.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}
