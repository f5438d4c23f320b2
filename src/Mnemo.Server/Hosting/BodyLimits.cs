using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Mnemo.Server.Hosting;

public sealed class BodyLimitOptions
{
    /// <summary>The body limit of a route that declares none (JSON and form routes).</summary>
    public long DefaultBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Applies each route's body limit (<see cref="IRequestSizeLimitMetadata"/>, e.g. an upload's) or the
/// small default, so a body over it fails with file_too_large (413) when it is read.
/// </summary>
public static class BodyLimits
{
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app)
    {
        var defaults = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<BodyLimitOptions>>().Value;
        return app.Use((context, next) =>
        {
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                var declared = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
                feature.MaxRequestBodySize = declared is null ? defaults.DefaultBytes : declared.MaxRequestBodySize;
            }

            return next(context);
        });
    }

    /// <summary>Declares a route's own body limit (null: unlimited, the route enforces its own).</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long? bytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
