using System.Text;
using System.Text.Json.Nodes;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>Well-formed JSON bodies from a schema, and the same bodies with one value swapped for raw JSON text.</summary>
public static class JsonBodies
{
    private const string Placeholder = "__hostile_raw__";

    /// <summary>A field of a body: its path from the root, and the JSON type its schema asks for.</summary>
    public sealed record Field(IReadOnlyList<string> Path, string Type)
    {
        public override string ToString() => string.Join('.', Path);
    }

    public static string TypeOf(JsonNode? schema)
    {
        var type = schema?["type"];
        if (type is JsonArray types)
        {
            // ["null","integer","string"]: the first real type is the one the server binds.
            return types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null";
        }

        if (type is JsonValue value)
        {
            return value.GetValue<string>();
        }

        return schema?["properties"] is not null ? "object" : schema?["oneOf"] is JsonArray one
            ? one.Select(TypeOf).FirstOrDefault(t => t != "null") ?? "any"
            : "any";
    }

    public static string? FormatOf(JsonNode? schema) => schema?["format"]?.GetValue<string>();

    private static JsonNode? Effective(JsonNode? schema) =>
        schema?["oneOf"] is JsonArray one ? one.FirstOrDefault(s => TypeOf(s) != "null") : schema;

    public static JsonNode? Valid(JsonNode? schema, Func<string, string?> named, string name = "", int depth = 0)
    {
        schema = Effective(schema);
        var type = TypeOf(schema);
        var known = named(name);
        switch (type)
        {
            case "object":
                var obj = new JsonObject();
                foreach (var (property, propertySchema) in Properties(schema))
                {
                    if (depth < 3)
                    {
                        obj[property] = Valid(propertySchema, named, property, depth + 1);
                    }
                }

                return obj;
            case "array":
                return new JsonArray(Valid(schema?["items"], named, Singular(name), depth + 1));
            case "integer":
                return long.TryParse(known, out var n) ? n : 1;
            case "number":
                return double.TryParse(known, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 1.5;
            case "boolean":
                return true;
            case "string" when FormatOf(schema) == "date-time":
                return "2030-01-01T00:00:00Z";
            case "string" when FormatOf(schema) == "binary":
                return null;
            case "string":
                return known ?? "fuzz";
            default:
                return known is null ? null : JsonValue.Create(known);
        }
    }

    private static string Singular(string name) => name switch
    {
        "video_nos" => "video_no",
        "file_ids" => "id",
        "errors" => "error",
        "allowed_ips" => "allowed_ip",
        _ => name,
    };

    /// <summary>Declared properties; a map (additionalProperties only) gets one entry, "x".</summary>
    private static List<KeyValuePair<string, JsonNode?>> Properties(JsonNode? schema)
    {
        if (schema?["properties"] is JsonObject { Count: > 0 } properties)
        {
            return [.. properties];
        }

        return schema?["additionalProperties"] is JsonNode values ? [new KeyValuePair<string, JsonNode?>("x", values)] : [];
    }

    /// <summary>Every field down to three levels, arrays' items included as "[0]".</summary>
    public static IReadOnlyList<Field> Fields(JsonNode? schema)
    {
        var fields = new List<Field>();
        Walk(Effective(schema), [], fields);
        return fields;
    }

    private static void Walk(JsonNode? schema, List<string> path, List<Field> fields)
    {
        var type = TypeOf(schema);
        if (path.Count > 0)
        {
            fields.Add(new Field(path.ToArray(), type));
        }

        if (path.Count >= 3)
        {
            return;
        }

        if (type == "object")
        {
            foreach (var (property, propertySchema) in Properties(schema))
            {
                Walk(Effective(propertySchema), [.. path, property], fields);
            }
        }
        else if (type == "array" && path.Count > 0)
        {
            Walk(Effective(schema?["items"]), [.. path, "[0]"], fields);
        }
    }

    /// <summary>The body as text, with the value at <paramref name="field"/> replaced by <paramref name="rawJson"/> verbatim.</summary>
    public static byte[] With(JsonNode? body, Field field, string rawJson)
    {
        var copy = body?.DeepClone() ?? new JsonObject();
        JsonNode? parent = copy;
        for (var i = 0; i < field.Path.Count - 1 && parent is not null; i++)
        {
            parent = Step(parent, field.Path[i]);
        }

        var last = field.Path[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = Placeholder;
                break;
            case JsonArray a when last == "[0]":
                if (a.Count == 0)
                {
                    a.Add(Placeholder);
                }
                else
                {
                    a[0] = Placeholder;
                }

                break;
            default:
                return Encoding.UTF8.GetBytes(copy.ToJsonString());
        }

        return Encoding.UTF8.GetBytes(copy.ToJsonString().Replace($"\"{Placeholder}\"", rawJson, StringComparison.Ordinal));
    }

    private static JsonNode? Step(JsonNode node, string segment) => segment == "[0]"
        ? node is JsonArray { Count: > 0 } a ? a[0] : null
        : node is JsonObject o ? o[segment] ??= new JsonObject() : null;

    /// <summary>The same key twice in the top-level object: first the hostile value, then the valid one.</summary>
    public static byte[] WithDuplicate(JsonNode? body, string key, string rawJson)
    {
        var text = (body ?? new JsonObject()).ToJsonString();
        return Encoding.UTF8.GetBytes(text.StartsWith('{') && text.Length > 2
            ? "{" + JsonValue.Create(key).ToJsonString() + ":" + rawJson + "," + text[1..]
            : text);
    }

    public static string Quote(string value) => JsonValue.Create(value).ToJsonString();
}
