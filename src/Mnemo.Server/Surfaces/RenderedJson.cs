using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Surfaces;

/// <summary>
/// A 200 JSON answer made once per <typeparamref name="TSource"/> instance (<see cref="Cache"/>) and
/// rendered once, then written as fixed bytes: for status polls, whose source is the asset
/// <see cref="Assets.AssetReadCache"/> hands out unchanged until the asset changes. The bytes are those
/// <c>TypedResults.Ok(render(source))</c> would write (same serializer options), with a Content-Length;
/// OpenAPI sees the same response type.
/// </summary>
public sealed class RenderedJson<TSource, T> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
    where TSource : class
{
    private readonly TSource source;
    private readonly Func<TSource, T> render;
    private byte[]? body;

    private RenderedJson(TSource source, Func<TSource, T> render)
    {
        this.source = source;
        this.render = render;
    }

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var bytes = body ??= JsonSerializer.SerializeToUtf8Bytes(
            render(source), httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, 0, bytes.Length, httpContext.RequestAborted);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000",
        Justification = "IEndpointMetadataProvider's static abstract member: the framework calls it on the result type.")]
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));

    /// <summary>One answer per source instance, as long as the source lives.</summary>
    public sealed class Cache(Func<TSource, T> render)
    {
        private readonly ConditionalWeakTable<TSource, RenderedJson<TSource, T>> answers = new();

        public RenderedJson<TSource, T> For(TSource source) =>
            answers.TryGetValue(source, out var answer) ? answer : answers.GetValue(source, s => new RenderedJson<TSource, T>(s, render));
    }
}
