using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Mnemo.Server.Hosting;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Console;

/// <summary>The reads the console added to the memic and admin APIs, over HTTP, and what the server prints for people.</summary>
public sealed class ConsoleApiTests
{
    [Fact]
    public async Task AKeySeesItsOrganizationsKeysWithPrefixAndLastUseMakesOneAndCannotTouchAnotherOrganizations()
    {
        using var server = new MnemoServer();
        var acme = await server.CreateAccountAsync(name: "acme");
        var other = await server.CreateAccountAsync(name: "other");
        using var client = server.WithKey(acme.Key);

        var created = await (await client.PostAsJsonAsync("/api/v1/keys", new { environment = "staging" })).BodyAsync();
        created.GetProperty("environment").GetString().ShouldBe("staging");
        var secret = created.GetProperty("key").GetString()!;
        var keys = await (await client.GetAsync("/api/v1/keys")).BodyAsync();
        keys.GetArrayLength().ShouldBe(2);
        var own = keys.EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == acme.KeyId);
        own.GetProperty("prefix").GetString().ShouldBe(acme.Key[..17]);
        own.GetProperty("last_used_at").ValueKind.ShouldBe(JsonValueKind.String);
        keys.ToString().ShouldNotContain(secret);
        keys.ToString().ShouldNotContain(acme.Key);

        (await client.DeleteAsync($"/api/v1/keys/{other.KeyId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var otherClient = server.WithKey(other.Key))
        {
            (await otherClient.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await client.DeleteAsync($"/api/v1/keys/{created.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var revoked = server.WithKey(secret);
        (await revoked.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var admin = server.AdminClient();
        var accounts = await (await admin.GetAsync("/admin/accounts")).BodyAsync();
        accounts.EnumerateArray().Select(a => a.GetProperty("name").GetString()).ShouldContain("acme");
        var adminKeys = await (await admin.GetAsync($"/admin/accounts/{acme.Id}/keys")).BodyAsync();
        adminKeys.EnumerateArray().Count(k => k.GetProperty("revoked_at").ValueKind == JsonValueKind.String).ShouldBe(1);
    }

    [Fact]
    public async Task DailyUsageCountsChargedRequestsAndCreditsPerDay()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        (await client.PostAsJsonAsync("/api/v1/search", new { query = "anything" })).EnsureSuccessStatusCode();

        var daily = await (await client.GetAsync("/api/v1/usage/daily?days=3")).BodyAsync();
        var days = daily.GetProperty("days").EnumerateArray().ToList();
        days.Count.ShouldBe(3);
        days[^1].GetProperty("date").GetString().ShouldBe(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        days[^1].GetProperty("requests").GetInt32().ShouldBe(1);
        days[^1].GetProperty("credits").GetInt64().ShouldBe(1000 - await client.BalanceAsync());
        (await client.GetAsync("/api/v1/usage/daily?days=91")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task AVideosKeyframesAreListedWithTheirTimesAndServedAsJpeg()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var client = server.WithKey(account.Key);
        var file = await (await client.PostFileAsync("/api/v1/files", TestMedia.TwoScenes)).BodyAsync();
        var id = file.GetProperty("id").GetGuid();
        await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}"), f => f.GetProperty("status").GetString() == "ready");

        var thumbnails = await (await client.GetAsync($"/api/v1/files/{id}/thumbnails")).BodyAsync();
        thumbnails.GetArrayLength().ShouldBeGreaterThanOrEqualTo(2); // a cut at 4 s (keyframes at most one per 5 s)
        var times = thumbnails.EnumerateArray().Select(t => t.GetProperty("at_seconds").GetDouble()).ToList();
        times.ShouldBeInOrder(SortDirection.Ascending);
        times.ShouldAllBe(t => t >= 0 && t < 8);
        var second = thumbnails[1];
        var jpeg = await client.GetAsync(second.GetProperty("url").GetString());
        jpeg.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        (await jpeg.Content.ReadAsByteArrayAsync())[..2].ShouldBe(new byte[] { 0xFF, 0xD8 });
        (await client.GetAsync($"/api/v1/files/{id}/thumbnails/999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var content = await (await client.GetAsync($"/api/v1/files/{id}/content")).BodyAsync();
        content.GetProperty("chunks").EnumerateArray().ShouldAllBe(c => new[] { "text", "transcript", "seen" }.Contains(c.GetProperty("kind").GetString()));
        using var stranger = server.WithKey((await server.CreateAccountAsync()).Key);
        (await stranger.GetAsync($"/api/v1/files/{id}/thumbnails")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WhenOutputIsNotATerminalTheConsoleUrlIsALogLine()
    {
        using var server = new MnemoServer();
        var expected = $"the console is at {server.BaseAddress.ToString().TrimEnd('/')}/console/";
        Func<CapturedLog, bool> isBanner = line => line.Message.Contains(expected, StringComparison.Ordinal);
        // The banner and the test host's own "started" signal are both ApplicationStarted callbacks; the
        // test may resume on the host's before the banner's has run, so give it a moment.
        for (var waited = 0; waited < 50 && !server.Logs.Any(isBanner); waited++)
        {
            await Task.Delay(100);
        }

        server.Logs.ShouldContain(l => isBanner(l));
    }

    [Fact]
    public void APersonReadsTimeLevelShortCategoryMessageAndRequestId()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object?> { ["RequestId"] = "req_42", ["RequestPath"] = "/x?api_key=secret" });
        var output = new StringWriter();
        new PeopleLogFormatter().Write(new LogEntry<string>(LogLevel.Warning, "Mnemo.Server.Hosting.AccessLog", default, "GET /api/v1/files answered 429", null, (s, _) => s), scopes, output);

        var line = output.ToString();
        line.ShouldMatch(@"^\d\d:\d\d:\d\d warn AccessLog +GET /api/v1/files answered 429 \[req_42\]\r?\n$");
        line.ShouldNotContain("secret");
    }
}
