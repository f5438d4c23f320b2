using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mnemo.Bench.Scale;

/// <summary>
/// Through a running server's own API: an account and a key (admin API), and one tiny text file parsed to
/// Ready, whose row the seeder copies (so the seeded assets belong to that key's environment exactly as
/// the server writes it). Writes the key and the file id, one a line.
/// </summary>
public static class Prepare
{
    public static async Task<int> RunAsync(Options options)
    {
        using var http = new HttpClient { BaseAddress = new Uri(options.Text("url")), Timeout = TimeSpan.FromSeconds(60) };
        var admin = options.Text("admin-token");
        using var account = new HttpRequestMessage(HttpMethod.Post, "/admin/accounts")
        {
            Content = JsonContent.Create(new { name = $"scale-{DateTime.UtcNow:yyyyMMddHHmmss}", credits = 100_000_000 }),
        };
        account.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        var accountId = (await SendAsync(http, account)).GetProperty("id").GetString();
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, $"/admin/accounts/{accountId}/keys") { Content = JsonContent.Create(new { }) };
        keyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        var key = (await SendAsync(http, keyRequest)).GetProperty("key").GetString()!;

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("The scale benchmark's template document. It holds one short paragraph."u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", "scale-template.txt");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/files") { Content = form };
        upload.Headers.Add("X-API-Key", key);
        var fileId = (await SendAsync(http, upload)).GetProperty("id").GetString()!;

        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/files/{fileId}/status");
            poll.Headers.Add("X-API-Key", key);
            var status = (await SendAsync(http, poll)).GetProperty("status").GetString();
            if (status == "ready")
            {
                break;
            }

            if (status == "failed" || DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"template file {fileId}: {status}");
                return 1;
            }

            await Task.Delay(200);
        }

        await File.WriteAllLinesAsync(options.Text("out"), [key, fileId]);
        return 0;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
