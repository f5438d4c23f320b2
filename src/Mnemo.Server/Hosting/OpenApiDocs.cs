using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Mnemo.Server.Errors;
using Mnemo.Server.Surfaces.Memic;
using Mnemo.Server.Surfaces.MemoriesV1;
using Mnemo.Server.Surfaces.MemoriesV2;

namespace Mnemo.Server.Hosting;

/// <summary>One OpenAPI document per surface, generated from the endpoints, each declaring its envelope
/// and error schema; Swagger UI at /docs lists the three.</summary>
public static class OpenApiDocs
{
    private static readonly (string Name, string Title, Surface Surface)[] Documents =
    [
        (MemoriesV1Api.GroupName, "Mnemo: memories.ai v1 surface", Surface.MemoriesV1),
        (MemoriesV2Api.GroupName, "Mnemo: memories.ai v2 surface", Surface.MemoriesV2),
        (MemicApi.GroupName, "Mnemo: Memic surface", Surface.Memic),
    ];

    private const string DocsPath = "/docs";

    public static WebApplicationBuilder AddOpenApiDocs(this WebApplicationBuilder builder)
    {
        foreach (var (name, title, surface) in Documents)
        {
            builder.Services.AddOpenApi(name, options =>
            {
                options.ShouldInclude = description => description.GroupName == name;
                options.AddDocumentTransformer((document, _, _) =>
                {
                    document.Info.Title = title;
                    document.Info.Version = "1";
                    DeclareEnvelope(document, surface);
                    return Task.CompletedTask;
                });
            });
        }

        return builder;
    }

    public static WebApplication MapOpenApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        // Only /docs goes through the UI's middleware, which matches each path with a regex it builds per request.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DocsPath), docs => docs.UseSwaggerUI(options =>
        {
            options.RoutePrefix = DocsPath[1..];
            options.DocumentTitle = "Mnemo API";
            foreach (var (name, title, _) in Documents)
            {
                options.SwaggerEndpoint($"/openapi/{name}.json", title);
            }
        }));
        return app;
    }

    private static void DeclareEnvelope(OpenApiDocument document, Surface surface)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var (description, error) = surface switch
        {
            Surface.MemoriesV1 => (
                "Every response is {\"code\":\"0000\",\"msg\":\"success\",\"data\":…,\"success\":true,\"failed\":false}; errors carry the catalog's v1 code and data null.",
                Object(("code", Str("Catalog v1 code, e.g. 0401")), ("msg", Str("Catalog message")), ("data", Null()), ("success", Bool()), ("failed", Bool()))),
            Surface.MemoriesV2 => (
                "Every response is {\"code\":200,\"msg\":\"success\",\"data\":…,\"success\":true,\"failed\":false}; on errors code equals the HTTP status and data is null.",
                Object(("code", Int("Equals the HTTP status")), ("msg", Str("Catalog message, exact")), ("data", Null()), ("success", Bool()), ("failed", Bool()))),
            _ => (
                "Success: the resource itself (201 on create, 204 on delete). Errors: {\"detail\",\"code\",\"request_id\"}.",
                Object(("detail", Str("Human-readable message")), ("code", Str("Stable catalog code")), ("request_id", Str("Equals the X-Request-Id header")))),
        };
        document.Info.Description = description + " The error catalog is at GET /api/v1/errors.";
        document.Components.Schemas["Error"] = error;
        var reference = new OpenApiSchemaReference("Error", document);
        foreach (var path in document.Paths.Values)
        {
            foreach (var operation in path.Operations?.Values.ToList() ?? [])
            {
                operation.Responses ??= new OpenApiResponses();
                foreach (var range in new[] { "4XX", "5XX" })
                {
                    operation.Responses[range] = new OpenApiResponse
                    {
                        Description = "An error from the catalog, in this surface's envelope.",
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = reference } },
                    };
                }
            }
        }
    }

    private static OpenApiSchema Object(params (string Name, OpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)p.Schema),
        Required = properties.Select(p => p.Name).ToHashSet(),
    };

    private static OpenApiSchema Str(string description) => new() { Type = JsonSchemaType.String, Description = description };
    private static OpenApiSchema Int(string description) => new() { Type = JsonSchemaType.Integer, Description = description };
    private static OpenApiSchema Bool() => new() { Type = JsonSchemaType.Boolean };
    private static OpenApiSchema Null() => new() { Type = JsonSchemaType.Null, Description = "Always null on errors" };
}
