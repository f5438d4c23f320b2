using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Assets;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Billing;

/// <summary>Storage per GB-day: each day once per account, for what it stores; never below zero.</summary>
public sealed class StorageChargeTests : IDisposable
{
    private static readonly DateOnly Day = new(2031, 1, 15);

    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Prices:StoragePerGbDay"] = "5000" });

    public void Dispose() => server.Dispose();

    private async Task<int> ChargeAsync(DateOnly day)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StorageDays>().ChargeAsync(day, CancellationToken.None);
    }

    private static async Task<JsonElement> UsageAsync(HttpClient client) => await (await client.GetAsync("/api/v1/usage?limit=50")).BodyAsync();

    [Fact]
    public async Task EachDayIsChargedOnceForTheBytesStoredAndDeletedFilesAreFree()
    {
        var payer = await server.CreateAccountAsync(credits: 1000);
        var broke = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(payer.Key);
        using var poor = server.WithKey(broke.Key);
        var kept = (await (await client.PostFileAsync("/api/v1/files", TestMedia.Pdf)).BodyAsync()).Str("id");
        var gone = (await (await client.PostFileAsync("/api/v1/files", TestMedia.Docx)).BodyAsync()).Str("id");
        var poorFile = (await (await poor.PostFileAsync("/api/v1/files", TestMedia.Pdf)).BodyAsync()).Str("id");
        foreach (var (c, id) in new[] { (client, kept), (client, gone), (poor, poorFile) })
        {
            await Uploads.PollAsync(() => c.GetAsync($"/api/v1/files/{id}/status"), b => b.Str("status") == "ready");
        }

        (await client.DeleteAsync($"/api/v1/files/{gone}")).EnsureSuccessStatusCode();
        var poorBalance = (await UsageAsync(poor)).GetProperty("balance").GetInt64();
        using var admin = server.AdminClient();
        (await admin.PostAsync($"/admin/accounts/{broke.Id}/credits",
            System.Net.Http.Json.JsonContent.Create(new { amount = -poorBalance, reason = "test: empty" }))).EnsureSuccessStatusCode();
        var before = (await UsageAsync(client)).GetProperty("balance").GetInt64();

        (await ChargeAsync(Day)).ShouldBe(2);
        (await ChargeAsync(Day)).ShouldBe(0);

        // 5000 credits per GB-day: the PDF (a few hundred bytes) rounds up to 1 credit; the deleted DOCX costs nothing.
        var usage = await UsageAsync(client);
        usage.GetProperty("balance").GetInt64().ShouldBe(before - 1);
        var rows = usage.GetProperty("entries").EnumerateArray().Where(e => e.Str("reference") == "storage:2031-01-15").ToList();
        rows.Select(r => r.Str("kind")).OrderBy(k => k).ShouldBe(["reserve", "settle"]);
        rows.Sum(r => r.GetProperty("amount").GetInt64()).ShouldBe(-1);

        // An empty account still gets its day written, with the shortfall named, and keeps its file.
        var poorUsage = await UsageAsync(poor);
        poorUsage.GetProperty("balance").GetInt64().ShouldBe(0);
        poorUsage.GetProperty("entries").EnumerateArray()
            .ShouldContain(e => e.Str("reference") == "storage:2031-01-15" && e.Str("kind") == "settle" && e.Str("reason").Contains("short by 1"));
        (await poor.GetAsync($"/api/v1/files/{poorFile}")).EnsureSuccessStatusCode();
    }
}
