using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>
/// Every route the fuzzer attacks: the three surfaces from the OpenAPI documents the server serves
/// (so a new route is fuzzed the day it is documented), and /admin, which is excluded from those
/// documents, from the endpoints' own metadata.
/// </summary>
public static class FuzzRoutes
{
    private static readonly (string Document, FuzzSurface Surface, string[] Aliases)[] Documents =
    [
        ("memories-v1", FuzzSurface.MemoriesV1, ["/serve/api/video"]),
        ("memories-v2", FuzzSurface.MemoriesV2, []),
        ("memic", FuzzSurface.Memic, ["/api/v1/sdk"]),
    ];

    public static async Task<IReadOnlyList<FuzzRoute>> FromOpenApiAsync(MnemoServer server, FuzzSurface surface)
    {
        var (document, _, aliases) = Documents.Single(d => d.Surface == surface);
        using var client = server.Anonymous();
        var root = JsonNode.Parse(await client.GetStringAsync($"/openapi/{document}.json"))!;
        var schemas = root["components"]?["schemas"]?.AsObject();
        var routes = new List<FuzzRoute>();
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method == "parameters" || operation is null)
                {
                    continue;
                }

                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => new FuzzParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), Resolve(p["schema"], schemas, 0)))
                    .ToList();
                var content = operation["requestBody"]?["content"]?.AsObject();
                var contentTypes = content?.Select(c => c.Key).ToList() ?? [];
                var body = content?.Select(c => c.Value?["schema"]).FirstOrDefault(s => s is not null);
                routes.Add(new FuzzRoute(surface, method.ToUpperInvariant(), path, parameters, contentTypes,
                    body is null ? null : Resolve(body, schemas, 0), RewritePrefixes(path, aliases)));
            }
        }

        return routes;
    }

    /// <summary>/admin routes from the endpoint data source: methods, route parameters and the accepted body type.</summary>
    public static IReadOnlyList<FuzzRoute> Admin(MnemoServer server)
    {
        var routes = new List<FuzzRoute>();
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints.Where(e => e.RoutePattern.RawText?.StartsWith("/admin", StringComparison.Ordinal) == true))
        {
            var template = endpoint.RoutePattern.RawText!.Replace(":guid", "", StringComparison.Ordinal);
            var parameters = endpoint.RoutePattern.Parameters
                .Select(p => new FuzzParameter(p.Name, "path", p.ParameterPolicies.Any(x => x.Content == "guid")
                    ? new JsonObject { ["type"] = "string", ["format"] = "uuid" }
                    : new JsonObject { ["type"] = "string" }))
                .ToList();
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            var bodyType = accepts?.RequestType;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                routes.Add(new FuzzRoute(FuzzSurface.Admin, method, template, parameters,
                    bodyType is null ? [] : ["application/json"], bodyType is null ? null : SchemaOf(bodyType, 0), []));
            }
        }

        return routes;
    }

    private static List<string> RewritePrefixes(string path, string[] aliases) => aliases
        .Select(alias => alias == "/serve/api/video"
            ? alias + path["/serve/api/v1".Length..]
            : alias + path["/api/v1".Length..])
        .ToList();

    /// <summary>The schema with every $ref inlined (depth-capped: the fuzzer never needs deep recursion).</summary>
    private static JsonNode Resolve(JsonNode? schema, JsonObject? schemas, int depth)
    {
        if (schema is null || depth > 6)
        {
            return new JsonObject();
        }

        if (schema is JsonObject { } o && o["$ref"]?.GetValue<string>() is { } reference)
        {
            return Resolve(schemas?[reference.Split('/')[^1]], schemas, depth + 1);
        }

        if (schema is JsonObject obj)
        {
            var copy = new JsonObject();
            foreach (var (name, value) in obj)
            {
                copy[name] = value is JsonObject or JsonArray ? Resolve(value, schemas, depth + 1) : value?.DeepClone();
            }

            return copy;
        }

        if (schema is JsonArray array)
        {
            return new JsonArray(array.Select(item => item is JsonObject or JsonArray ? Resolve(item, schemas, depth + 1) : item?.DeepClone()).ToArray());
        }

        return schema.DeepClone();
    }

    /// <summary>A JSON schema for a CLR request type, as the server's snake_case serializer sees it.</summary>
    private static JsonObject SchemaOf(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(Guid))
        {
            return new JsonObject { ["type"] = "string", ["format"] = type == typeof(Guid) ? "uuid" : null };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number" };
        }

        if (type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)))
        {
            var item = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            return new JsonObject { ["type"] = "array", ["items"] = SchemaOf(item, depth + 1) };
        }

        var properties = new JsonObject();
        if (depth < 4)
        {
            foreach (var property in type.GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            {
                properties[JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)] = SchemaOf(property.PropertyType, depth + 1);
            }
        }

        return new JsonObject { ["type"] = "object", ["properties"] = properties };
    }
}
