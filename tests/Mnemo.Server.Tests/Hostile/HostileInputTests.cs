using Mnemo.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>
/// The hostile-input suite: every route of the three OpenAPI documents and of /admin gets its fixed
/// catalogue of broken requests, then random combinations (MNEMO_FUZZ_SEED, MNEMO_FUZZ_COUNT). No
/// answer may be a 5xx; every error is in its surface's envelope with an X-Request-Id; the server is
/// healthy afterwards. See docs/security.md, "Hostile-input suite".
/// </summary>
public sealed class HostileInputTests(HostileServer host, ITestOutputHelper output) : IClassFixture<HostileServer>
{
    [Fact]
    public Task MemoriesV1SurvivesHostileInput() => PassAsync(FuzzSurface.MemoriesV1);

    [Fact]
    public Task MemoriesV2SurvivesHostileInput() => PassAsync(FuzzSurface.MemoriesV2);

    [Fact]
    public Task MemicSurvivesHostileInput() => PassAsync(FuzzSurface.Memic);

    [Fact]
    public Task AdminApiSurvivesHostileInput() => PassAsync(FuzzSurface.Admin);

    private async Task PassAsync(FuzzSurface surface)
    {
        var routes = surface == FuzzSurface.Admin
            ? FuzzRoutes.Admin(host.Server)
            : await FuzzRoutes.FromOpenApiAsync(host.Server, surface);
        routes.Count.ShouldBeGreaterThan(3, "the route list comes from the served OpenAPI document (or, for /admin, the endpoints)");
        var cases = new HostileCases(await host.NewFixtureAsync(), routes);
        using var runner = new HostileRunner(host.Server, host.Key);
        await runner.RunAsync(cases.Fixed().Concat(cases.Random(FuzzSettings.Seed + (int)surface, FuzzSettings.Count)));
        output.WriteLine($"{routes.Count} routes; seed {FuzzSettings.Seed}, {FuzzSettings.Count} random requests per route");
        output.WriteLine(runner.Summary(surface.ToString()));
        if (runner.Failures.Count > 0)
        {
            output.WriteLine(runner.FailureReport(int.MaxValue));
        }

        await ShouldBeHealthyAsync();
        runner.Failures.Count.ShouldBe(0, runner.FailureReport());
    }

    private async Task ShouldBeHealthyAsync()
    {
        using var anonymous = host.Server.Anonymous();
        ((int)(await anonymous.GetAsync("/healthz")).StatusCode).ShouldBe(200, "/healthz after the hostile pass");
        ((int)(await anonymous.GetAsync("/readyz")).StatusCode).ShouldBe(200, "/readyz after the hostile pass");
        using var client = host.Server.WithKey(host.Key);
        ((int)(await client.GetAsync("/api/v1/me")).StatusCode).ShouldBe(200, "a plain request after the hostile pass");
    }
}
