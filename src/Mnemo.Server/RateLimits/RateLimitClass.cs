namespace Mnemo.Server.RateLimits;

/// <summary>The route classes of CONTRACT.md's rate-limit table; each surface has its own budget per class.</summary>
public enum RateLimitClass
{
    Upload,
    Search,
    Status,
    ListDelete,
    Prompts,
    Download,

    /// <summary>memories v2 video tasks (clip, split): their own budget, so clip then split back to back both pass.</summary>
    VideoTasks,
}

/// <summary>Endpoint metadata: the class a route's requests count against.</summary>
public sealed record RateLimitClassMetadata(RateLimitClass Class);

public static class RateLimitRouteExtensions
{
    /// <summary>Tags a route or a whole group: <c>group.MapPost("/upload", …).WithRateLimitClass(RateLimitClass.Upload)</c>.</summary>
    public static TBuilder WithRateLimitClass<TBuilder>(this TBuilder builder, RateLimitClass rateLimitClass)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RateLimitClassMetadata(rateLimitClass));
}
