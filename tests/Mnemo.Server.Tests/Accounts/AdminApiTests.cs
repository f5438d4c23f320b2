using System.Net;
using System.Net.Http.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Accounts;

public sealed class AdminApiTests : IDisposable
{
    private static readonly string[] PrivateTen = ["10.0.0.0/8"];
    private static readonly string[] NotARange = ["nonsense"];

    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task CreatingAnAccountAnswers201WithItsBalance()
    {
        using var admin = server.AdminClient();
        var response = await admin.PostAsJsonAsync("/admin/accounts", new { name = "acme", credits = 500 });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.BodyAsync();
        body.Str("name").ShouldBe("acme");
        body.Str("status").ShouldBe("active");
        body.GetProperty("balance").GetInt64().ShouldBe(500);
        body.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
    }

    [Fact]
    public async Task CreditsAddAndDebitButNeverGoBelowZero()
    {
        var account = await server.CreateAccountAsync(credits: 100);
        using var admin = server.AdminClient();
        var topUp = await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/credits", new { amount = 50, reason = "promo" });
        (await topUp.BodyAsync()).GetProperty("balance").GetInt64().ShouldBe(150);
        var debit = await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/credits", new { amount = -150, reason = "correction" });
        (await debit.BodyAsync()).GetProperty("balance").GetInt64().ShouldBe(0);
        var overdraw = await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/credits", new { amount = -1 });
        await overdraw.ShouldBeMemicErrorAsync(402, "insufficient_credits");
    }

    [Fact]
    public async Task KeysAreShownOnceWithPrefixAndEnvironment()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        var response = await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys",
            new { allowed_ips = PrivateTen, expires_at = "2099-01-01T00:00:00Z" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var key = await response.BodyAsync();
        key.Str("key").ShouldStartWith("sk-mnemo-");
        key.Str("key").Length.ShouldBe(52);
        key.Str("key").ShouldStartWith(key.Str("prefix"));
        key.Str("environment").ShouldBe("production");
        key.GetProperty("expires_at").GetDateTime().Year.ShouldBe(2099);
        key.GetProperty("allowed_ips")[0].GetString().ShouldBe("10.0.0.0/8");
    }

    [Fact]
    public async Task BadKeyRequestsAreUnprocessable()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys", new { allowed_ips = NotARange }))
            .ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys", new { environment = "nope" }))
            .ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys", new { expires_at = "2001-01-01T00:00:00Z" }))
            .ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await admin.PatchAsJsonAsync($"/admin/accounts/{account.Id}", new { status = "paused" }))
            .ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await admin.PostAsJsonAsync("/admin/accounts", new { credits = 5 }))
            .ShouldBeMemicErrorAsync(400, "invalid_request");
    }

    [Fact]
    public async Task SecondEnvironmentOfTheSameNameAndSecondRevokeAreDuplicates()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/environments", new { name = "staging" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/environments", new { name = "staging" }))
            .ShouldBeMemicErrorAsync(409, "duplicate_request");
        (await admin.DeleteAsync($"/admin/keys/{account.KeyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"/admin/keys/{account.KeyId}")).ShouldBeMemicErrorAsync(409, "duplicate_request");
    }

    [Fact]
    public async Task UnknownAccountOrKeyIsNotFound()
    {
        using var admin = server.AdminClient();
        await (await admin.PatchAsJsonAsync($"/admin/accounts/{Guid.NewGuid()}", new { status = "disabled" })).ShouldBeMemicErrorAsync(404, "not_found");
        await (await admin.DeleteAsync($"/admin/keys/{Guid.NewGuid()}")).ShouldBeMemicErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task AdminRoutesNeedTheToken()
    {
        using var anonymous = server.Anonymous();
        await (await anonymous.PostAsJsonAsync("/admin/accounts", new { name = "x" })).ShouldBeMemicErrorAsync(401, "invalid_api_key");
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        await (await anonymous.PostAsJsonAsync("/admin/accounts", new { name = "x" })).ShouldBeMemicErrorAsync(401, "invalid_api_key");
    }

    [Fact]
    public async Task WithoutAnAdminTokenTheAdminApiIsOff()
    {
        using var off = new MnemoServer(new Dictionary<string, string?> { ["MNEMO_ADMIN_TOKEN"] = "" });
        using var client = off.AdminClient();
        await (await client.PostAsJsonAsync("/admin/accounts", new { name = "x" })).ShouldBeMemicErrorAsync(404, "not_found");
    }
}
