using System.Globalization;

namespace Mnemo.Server.Surfaces;

/// <summary>memories times on the wire: epoch milliseconds as a string, as the hosted APIs send them.</summary>
public static class WireTime
{
    public static string Millis(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
