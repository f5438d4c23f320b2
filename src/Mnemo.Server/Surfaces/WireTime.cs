using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mnemo.Server.Surfaces;

/// <summary>memories times on the wire: epoch milliseconds as a string, as the hosted APIs send them.</summary>
public static class WireTime
{
    public static string Millis(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// ISO 8601 times on the wire are UTC with their "Z". Every time the server keeps is UTC, but one read
/// back from SQLite has lost its kind and would otherwise be written without an offset (a local time
/// to every client). Incoming times with an offset are converted to UTC; without one they are taken as UTC.
/// </summary>
public sealed class UtcDateTimeJsonConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetDateTime();
        return value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        writer.WriteStringValue(utc);
    }
}
