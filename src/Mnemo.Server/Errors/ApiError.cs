using Microsoft.AspNetCore.Http.Metadata;

namespace Mnemo.Server.Errors;

/// <summary>
/// One error to answer: a catalog row plus what this occurrence adds. It is both a typed result
/// (the error arm of every endpoint) and, wrapped in <see cref="ApiException"/>, something to throw
/// from deep inside the core.
/// </summary>
public sealed record ApiError(ErrorKind Kind, string? Detail = null) : IResult, IEndpointMetadataProvider
{
    /// <summary>Seconds for Retry-After (429, 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    public Task ExecuteAsync(HttpContext httpContext) => ErrorWriter.WriteAsync(httpContext, this);

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        // The document transformer declares the surface's error schema for every operation;
        // nothing per endpoint is needed here beyond marking that errors are possible.
    }

    public static ApiError InvalidRequest(string detail) => new(ErrorCatalog.InvalidRequest, detail);
    public static ApiError Unprocessable(string detail) => new(ErrorCatalog.Unprocessable, detail);
    public static ApiError NotFound(string detail) => new(ErrorCatalog.RouteNotFound, detail);
    public static ApiError Duplicate(string detail) => new(ErrorCatalog.DuplicateRequest, detail);
    public static ApiError Unavailable(string detail, int retryAfterSeconds = 5) =>
        new(ErrorCatalog.ServiceUnavailable, detail) { RetryAfterSeconds = retryAfterSeconds };
}

/// <summary>Thrown to end a request with a catalog error; the error middleware renders it.</summary>
public sealed class ApiException(ApiError error) : Exception(error.Detail ?? error.Kind.Msg)
{
    public ApiError Error { get; } = error;
}
