using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>No secret reaches a log line: keys, key-like query values and signed upload tokens are redacted.</summary>
public sealed partial class SecretLogTests : IDisposable
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "mnemo-tests", "secret-" + Guid.NewGuid().ToString("N"));

    [GeneratedRegex("sk-mnemo-[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyPattern();

    public void Dispose()
    {
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Everything a log line carries: its message, its exception and its scopes' values.</summary>
    private static async Task<List<string>> LogTextAsync(MnemoServer server)
    {
        await Task.Delay(300); // the access line is written once the response is sent
        return [.. server.Logs.Select(l => string.Join(" | ", new[] { l.Message, l.Exception ?? "" }.Concat(l.Scopes.SelectMany(s =>
            s is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.Select(p => $"{p.Key}={p.Value}") : [s?.ToString() ?? ""]))))];
    }

    [Fact]
    public async Task AKeyInTheQueryIsRefusedAndRedactedInTheAccessLog()
    {
        using var server = new MnemoServer();
        var key = (await server.CreateAccountAsync()).Key;
        using var anonymous = server.Anonymous();
        await (await anonymous.GetAsync($"/api/v1/me?api_key={key}")).ShouldBeMemicErrorAsync(401, "invalid_api_key");
        await (await anonymous.GetAsync($"/serve/api/v2/re_1/metadata?key={key}&token=hunter2secret&page=1"))
            .ShouldBeV2ErrorAsync(401, "Unauthorized");

        var lines = await LogTextAsync(server);
        lines.ShouldNotBeEmpty();
        lines.ShouldAllBe(l => !l.Contains(key) && !l.Contains("hunter2secret"));
        lines.ShouldContain(l => l.Contains("/api/v1/me?api_key=[redacted]"));
        lines.ShouldContain(l => l.Contains("key=[redacted]&token=[redacted]&page=1"));
    }

    [Fact]
    public async Task AKeyInThePathIsInNoLogLineNorScope()
    {
        using var server = new MnemoServer();
        var key = (await server.CreateAccountAsync()).Key;
        using var client = server.WithKey(key);
        await (await client.GetAsync($"/serve/api/v2/{key}/metadata")).ShouldBeV2ErrorAsync(400, "Asset not found");
        await client.GetAsync($"/api/v1/files/{key}");

        var lines = await LogTextAsync(server);
        lines.ShouldContain(l => l.Contains("/serve/api/v2/sk-mnemo-"));
        lines.ShouldAllBe(l => !l.Contains(key));
    }

    [Fact]
    public async Task ASignedUploadTokenIsNotLogged()
    {
        using var server = new MnemoServer();
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var created = await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "a.pdf", size = 100, mime_type = "application/pdf" })).BodyAsync();
        var uploadUrl = new Uri(created.Str("upload_url"));
        var token = uploadUrl.Segments[^1];
        using var anonymous = server.Anonymous();
        await anonymous.PutAsync(uploadUrl.PathAndQuery, new ByteArrayContent(new byte[100]));

        var lines = await LogTextAsync(server);
        lines.ShouldContain(l => l.Contains("/uploads/[redacted]"));
        lines.ShouldAllBe(l => !l.Contains(token));
    }

    [Fact]
    public async Task TheFirstStartKeyIsPrintedOnceOutsideTheJsonLog()
    {
        await using var server = await ServerProcess.StartAsync(dataDir);
        await Task.Delay(300);
        var output = server.Output.ToList();
        var keyLines = output.Where(l => KeyPattern().IsMatch(l)).ToList();
        keyLines.ShouldHaveSingleItem().Trim().ShouldMatch("^sk-mnemo-[A-Za-z0-9_-]{43}$");
        KeyPattern().Count(string.Join('\n', output)).ShouldBe(1);
        foreach (var line in output.Where(l => l.StartsWith('{')))
        {
            JsonDocument.Parse(line);
        }
    }
}
