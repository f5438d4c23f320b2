using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Tests.RateLimits;

/// <summary>
/// The memories surfaces have no limited routes in this branch yet (uploads, lists and downloads come
/// with the assets feature), so their per-account budget is checked on the middleware itself.
/// </summary>
public sealed class MemoriesBudgetTests
{
    [Fact]
    public async Task MemoriesBudgetsArePerAccountAcrossKeysAndBothVersions()
    {
        var options = new RateLimitOptions();
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));
        var middleware = new RateLimitMiddleware(_ => Task.CompletedTask, new InMemoryRateLimitStore(clock), new StaticMonitor(options), clock);
        var account = Guid.NewGuid();

        await middleware.InvokeAsync(Upload("/serve/api/v1/upload", new Caller(Guid.NewGuid(), account, "a", Guid.Empty, "production")));
        var refused = await Should.ThrowAsync<ApiException>(() =>
            middleware.InvokeAsync(Upload("/serve/api/v2/upload", new Caller(Guid.NewGuid(), account, "a", Guid.Empty, "production"))));

        refused.Error.Kind.ShouldBe(ErrorCatalog.RateLimitExceeded);
        refused.Error.RetryAfterSeconds.ShouldBe(1);
        refused.Error.Detail.ShouldBe("retry after 1 seconds");
        await middleware.InvokeAsync(Upload("/serve/api/v1/upload", new Caller(Guid.NewGuid(), Guid.NewGuid(), "b", Guid.Empty, "production")));
    }

    private static DefaultHttpContext Upload(string path, Caller caller)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.Method = "POST";
        context.Features.Set(caller);
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new RateLimitClassMetadata(RateLimitClass.Upload)), "upload"));
        return context;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class StaticMonitor(RateLimitOptions value) : IOptionsMonitor<RateLimitOptions>
    {
        public RateLimitOptions CurrentValue => value;

        public RateLimitOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RateLimitOptions, string?> listener) => null;
    }
}
