using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Surfaces;

/// <summary>
/// A 200 JSON answer rendered once per <typeparamref name="TSource"/> instance and then written as fixed
/// bytes: for status polls, whose source is the asset <see cref="Assets.AssetReadCache"/> hands out
/// unchanged until the asset changes. The bytes are those <c>TypedResults.Ok(render(source))</c> would
/// write (same serializer options), with a Content-Length; OpenAPI sees the same response type.
/// </summary>
public sealed class RenderedJson<TSource, T>(TSource source, Func<TSource, T> render, ConditionalWeakTable<TSource, byte[]> rendered)
    : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
    where TSource : class
{
    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (!rendered.TryGetValue(source, out var body))
        {
            var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            body = JsonSerializer.SerializeToUtf8Bytes(render(source), options);
            rendered.AddOrUpdate(source, body);
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
