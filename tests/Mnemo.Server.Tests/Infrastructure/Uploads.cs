using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mnemo.Server.Tests.Infrastructure;

public static class Uploads
{
    /// <summary>POSTs one file (and plain fields) as multipart/form-data.</summary>
    public static Task<HttpResponseMessage> PostFileAsync(
        this HttpClient client, string url, string path, string field = "file", string? fileName = null, IDictionary<string, string>? fields = null)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            content.Add(new StringContent(value), name);
        }

        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, field, fileName ?? Path.GetFileName(path));
        return client.PostAsync(url, content);
    }

    /// <summary>Polls until <paramref name="done"/> holds (or a minute passes), returning the last body.</summary>
    public static async Task<JsonElement> PollAsync(Func<Task<HttpResponseMessage>> get, Func<JsonElement, bool> done, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await get();
            var body = await response.BodyAsync();
            if (done(body))
            {
                return body;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new ShouldAssertException($"Still not done after {seconds} s: {body}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Uploads through memories v2 and waits (up to <paramref name="seconds"/>) for SUCCESS; the asset id.</summary>
    public static async Task<string> UploadV2ReadyAsync(this HttpClient client, string path, int seconds = 180)
    {
        var id = (await (await client.PostFileAsync("/serve/api/v2/upload", path)).BodyAsync()).GetProperty("data").Str("asset_id");
        var metadata = await PollAsync(() => client.GetAsync($"/serve/api/v2/{id}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") is "SUCCESS" or "FAILED", seconds);
        metadata.GetProperty("data").GetProperty("resource")[0].Str("upload_status").ShouldBe("SUCCESS");
        return id;
    }

    /// <summary>The caller's credit balance, as memic's usage reports it.</summary>
    public static async Task<long> BalanceAsync(this HttpClient client) =>
        (await (await client.GetAsync("/api/v1/usage")).BodyAsync()).GetProperty("balance").GetInt64();

    /// <summary>Files under the data directory's assets folder (in-flight uploads excluded).</summary>
    public static IReadOnlyList<string> StoredFiles(string dataDir)
    {
        var root = Path.Combine(dataDir, "assets");
        // Each running instance holds a lock file in its own .incoming folder; that is not a stored file.
        return Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != ".lock")]
            : [];
    }
}
