using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Idempotency;

/// <summary>
/// Idempotency-Key on POST (the three surfaces and /admin). The first request claims the key and runs;
/// its successful answer is kept for 24 h and replayed (Idempotent-Replayed: true) to a retry with the
/// same method, path and body, which does no work. Another body, or a retry while the first still runs,
/// is duplicate_request (409). An error answer frees the key. docs/billing.md has the rules.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, IOptions<IdempotencyOptions> options)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Headers[Header].ToString() is not { Length: > 0 } key
            || context.GetEndpoint() is null || ScopeOf(context) is not { } scope)
        {
            await next(context);
            return;
        }

        if (key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw new ApiException(ApiError.InvalidRequest($"{Header} must be 1 to {MaxKeyLength} visible ASCII characters."));
        }

        var target = context.Request.Path.Value + context.Request.QueryString.Value;
        var claim = await store.ClaimAsync(scope, key, context.Request.Method, target, context.RequestAborted);
        if (claim.ClaimedId is { } id)
        {
            context.Features.Set(new IdempotentRequest(id));
            await RunAsync(context, id);
            return;
        }

        var first = claim.Existing!;
        if (first.State == IdempotencyState.InFlight)
        {
            throw Duplicate("A request with this Idempotency-Key is still in progress; retry when it has finished.");
        }

        var hash = await HashingReadStream.HashToEndAsync(context.Request.Body, context.RequestAborted);
        if (first.Method != context.Request.Method || first.Target != target || first.BodyHash != hash)
        {
            throw Duplicate("This Idempotency-Key was already used for a different request; use a new key for a new operation.");
        }

        if (!first.BodyKept)
        {
            throw Duplicate("This Idempotency-Key's first response was too large to keep for replay; use a new key to run the request again.");
        }

        await ReplayAsync(context, first);
    }

    private async Task RunAsync(HttpContext context, long id)
    {
        var hashing = new HashingReadStream(context.Request.Body);
        var capture = new CapturingWriteStream(context.Response.Body, options.Value.MaxStoredResponseBytes);
        var originalRequest = context.Request.Body;
        var originalResponse = context.Response.Body;
        context.Request.Body = hashing;
        context.Response.Body = capture;

        // A client that sent its whole request and then left (a timeout, a dropped connection) will
        // retry with the same key; the work must then finish and be recorded, not be cancelled half-way
        // and run again. So the endpoint sees the client's departure only while the request body is
        // still arriving, or once the answer is too large to keep anyway.
        var lifetime = context.Features.GetRequiredFeature<IHttpRequestLifetimeFeature>();
        using var detached = new CancellationTokenSource();
        await using var departure = lifetime.RequestAborted.Register(() =>
        {
            if (!hashing.ReachedEnd || capture.Overflowed)
            {
                detached.Cancel();
            }
        });
        context.Features.Set<IHttpRequestLifetimeFeature>(new DetachedLifetime(lifetime, detached.Token));
        var completed = false;
        try
        {
            await next(context);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted); // nothing left in the pipe uncaptured
            var status = context.Response.StatusCode;
            if (status < 400 && await hashing.DrainAsync(options.Value.MaxDrainBytes, context.RequestAborted))
            {
                var response = context.Response;
                await store.CompleteAsync(id, hashing.HashHex(), status, response.ContentType,
                    response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                    capture.Overflowed ? null : capture.Captured);
                completed = true;
            }
        }
        finally
        {
            context.Features.Set(lifetime);
            context.Request.Body = originalRequest;
            context.Response.Body = originalResponse;
            await hashing.DisposeAsync();
            if (!completed)
            {
                await store.ReleaseAsync(id);
            }
        }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord first)
    {
        var response = context.Response;
        response.StatusCode = first.Status ?? StatusCodes.Status200OK;
        response.Headers[ReplayedHeader] = "true";
        if (first.ContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        if (first.Location is { } location)
        {
            response.Headers.Location = location;
        }

        if (first.Body is { Length: > 0 } body)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>
    /// Keys belong to the caller's project environment (every key of it), or to the operator: a replay
    /// never hands one environment the answer another got.
    /// </summary>
    private static string? ScopeOf(HttpContext context) =>
        context.Features.Get<Caller>() is { } caller ? $"environment:{caller.EnvironmentId}"
        : SurfacePaths.IsAdmin(context) ? "admin"
        : null;

    private static ApiException Duplicate(string detail) => new(ApiError.Duplicate(detail));

    private sealed class DetachedLifetime(IHttpRequestLifetimeFeature inner, CancellationToken aborted) : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get => aborted; set { } }

        public void Abort() => inner.Abort();
    }
}

/// <summary>
/// The request runs under an Idempotency-Key, claimed as <paramref name="RecordId"/>. A retry of a request
/// whose instance died mid-way runs under the same id, so what it is charged for is charged once.
/// </summary>
public sealed record IdempotentRequest(long RecordId);

public static class IdempotencySetup
{
    public static WebApplicationBuilder AddIdempotency(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration("Mnemo:Idempotency");
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddHostedService<IdempotencySweeper>();
        return builder;
    }

    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();
}
