using System.Net;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hosting;

public sealed class TelemetryTests
{
    [Fact]
    public async Task WithPrometheusOnTheScrapeShowsRequestsBySurfaceParseStepsCreditsAndTheQueue()
    {
        using var server = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Telemetry:Prometheus"] = "true",
            ["Mnemo:Telemetry:QueueSampleSeconds"] = "1",
        });
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var file = await (await client.PostFileAsync("/api/v1/files", TestMedia.Pdf)).BodyAsync();
        await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{file.Str("id")}"), b => b.Str("status") == "ready");
        (await client.GetAsync("/serve/api/v2/re_0/metadata")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var scraper = server.Anonymous();
        var text = "";
        await Uploads.PollAsync(async () =>
        {
            var response = await scraper.GetAsync("/metrics");
            text = await response.Content.ReadAsStringAsync();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }, _ => text.Contains("mnemo_parse_queue_depth", StringComparison.Ordinal), seconds: 30);

        text.ShouldContain("http_server_request_duration_seconds_count{");
        text.ShouldContain("mnemo_surface=\"Memic\"");
        text.ShouldContain("mnemo_surface=\"MemoriesV2\"");
        text.ShouldContain("mnemo_parse_step_duration_seconds_count{");
        text.ShouldContain("step=\"parse\"");
        text.ShouldContain("mnemo_credits_debited");
    }

    [Fact]
    public async Task ByDefaultThereIsNoScrapeEndpoint()
    {
        using var server = new MnemoServer();
        using var client = server.Anonymous();
        await (await client.GetAsync("/metrics")).ShouldBeMemicErrorAsync(404, "not_found");
    }
}
