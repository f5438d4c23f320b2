using System.Net;

namespace Mnemo.Server.Accounts;

/// <summary>CIDR allow-lists, IPv4 and IPv6. An IPv4-mapped IPv6 client address is matched as IPv4.</summary>
public sealed class IpAllowList
{
    private readonly IPNetwork[] networks;

    private IpAllowList(IPNetwork[] networks) => this.networks = networks;

    public static IpAllowList Any { get; } = new([]);

    public bool AllowsAll => networks.Length == 0;

    /// <summary>A null entry (JSON <c>[null]</c>) is an invalid block like any other, named "null".</summary>
    public static bool TryParse(IEnumerable<string?> blocks, out IpAllowList list, out string? invalid)
    {
        var parsed = new List<IPNetwork>();
        foreach (var block in blocks)
        {
            if (block is null)
            {
                list = Any;
                invalid = "null";
                return false;
            }

            var text = block.Trim();
            if (!text.Contains('/') && IPAddress.TryParse(text, out var single))
            {
                text += single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "/32" : "/128";
            }

            if (!IPNetwork.TryParse(text, out var network))
            {
                list = Any;
                invalid = block;
                return false;
            }

            parsed.Add(network);
        }

        list = new IpAllowList([.. parsed]);
        invalid = null;
        return true;
    }

    /// <summary>Parses the stored form (space-separated, validated when the key was made).</summary>
    public static IpAllowList FromStored(string stored) =>
        TryParse(stored.Split(' ', StringSplitOptions.RemoveEmptyEntries), out var list, out _) ? list : Any;

    public string ToStored() => string.Join(' ', networks.Select(n => n.ToString()));

    public IReadOnlyList<IPNetwork> Networks => networks;

    public IReadOnlyList<string> Blocks => [.. networks.Select(n => n.ToString())];

    public bool Allows(IPAddress? address)
    {
        if (AllowsAll)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return networks.Any(n => n.Contains(address));
    }
}
