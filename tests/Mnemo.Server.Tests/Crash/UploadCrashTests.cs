using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Mnemo.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mnemo.Server.Tests.Crash;

/// <summary>
/// Uploads under way when the server is SIGKILLed: after a restart on the same store nothing waits
/// forever, nothing is left on disk, and the upload's Idempotency-Key is free for the retry.
/// </summary>
public sealed class UploadCrashTests(ITestOutputHelper output)
{
    private const int FileBytes = 2 * 1024 * 1024;

    private static byte[] Notes()
    {
        var text = new StringBuilder("# Field notes\n\n");
        for (var line = 0; text.Length < FileBytes; line++)
        {
            text.Append("Line ").Append(line).Append(": the crash test writes a long markdown file about herons.\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, FileBytes));
    }

    /// <summary>
    /// A multipart upload (with an Idempotency-Key), a v2 signed-URL PUT and a memic files/init PUT are all
    /// half-way when the server dies: one crash for the three, since a start is the slow part.
    /// </summary>
    [Fact]
    public async Task UploadsCutByACrashEndFailedOrLeaveNothingAndTheirKeyIsFreeForTheRetry()
    {
        await using var rig = new CrashRig();
        await rig.StartAsync();
        var account = await rig.CreateAccountAsync(10_000);
        var notes = Notes();
        using var client = rig.Client(account.Key);
        using var anonymous = rig.Client();
        var v2 = (await (await client.PostAsJsonAsync("/serve/api/v2/upload/signed-url", new { original_filename = "notes.md" })).BodyAsync())
            .GetProperty("data");
        var memic = await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "notes.md", size = notes.Length, mime_type = "text/markdown" }))
            .BodyAsync();

        var head = Encoding.ASCII.GetBytes("--crash\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.md\"\r\nContent-Type: text/markdown\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes("\r\n--crash--\r\n");
        var multipart = new HttpRequestMessage(HttpMethod.Post, "/serve/api/v2/upload")
        {
            Content = new StallingContent([.. head, .. notes.AsSpan(0, FileBytes / 2)], head.Length + notes.Length + tail.Length,
                "multipart/form-data; boundary=crash"),
        };
        multipart.Headers.Add("Idempotency-Key", "crash-upload");
        var cut = new List<Task> { rig.Begin(client, multipart) };
        cut.AddRange(new[] { v2.Str("signed_url"), memic.Str("upload_url") }.Select(url => rig.Begin(anonymous, new HttpRequestMessage(HttpMethod.Put, url)
        {
            Content = new StallingContent(notes[..(FileBytes / 2)], notes.Length, "application/octet-stream"),
        })));
        await rig.WaitForIncomingAsync(FileBytes / 4, files: 3);
        var stranded = rig.IncomingFiles().Sum(f => f.Length);

        await rig.CrashAndRestartAsync();
        var clock = Stopwatch.StartNew();
        await rig.Cut(cut);
        output.WriteLine($"{stranded} bytes were in .incoming when the server was killed");
        rig.IncomingFiles().ShouldBeEmpty("a dead instance's partial uploads are removed at start");
        (await rig.ScalarAsync("SELECT count(*) FROM assets")).ShouldBe(2, "the multipart upload left no asset; the two signed ones are still there");

        // The signed uploads' bytes will never come: both end failed, with a cause, within the upload lease.
        using var after = rig.Client(account.Key);
        var asset = (await Uploads.PollAsync(() => after.GetAsync($"/serve/api/v2/{v2.Str("asset_id")}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") != "WAITING", seconds: 15))
            .GetProperty("data").GetProperty("resource")[0];
        asset.Str("upload_status").ShouldBe("FAILED");
        asset.Str("cause").ShouldContain("cut off");
        var file = await Uploads.PollAsync(() => after.GetAsync($"/api/v1/files/{memic.Str("file_id")}/status"),
            b => b.Str("status") is not ("pending" or "uploading"), seconds: 15);
        file.Str("status").ShouldBeOneOf("upload_failed", "failed"); // the memic name becomes upload_failed with the SDK's status set
        file.Str("error_message").ShouldContain("cut off");
        output.WriteLine($"both signed uploads failed {clock.ElapsedMilliseconds} ms after the restart (lease {CrashRig.LeaseSeconds} s)");

        // The multipart upload's key was in flight when the server died; its retry must not be refused for an hour.
        HttpResponseMessage retry;
        do
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/serve/api/v2/upload")
            {
                Content = new MultipartFormDataContent("crash") { { new ByteArrayContent(notes), "file", "notes.md" } },
            };
            request.Headers.Add("Idempotency-Key", "crash-upload");
            retry = await after.SendAsync(request);
            if (retry.StatusCode == HttpStatusCode.Conflict)
            {
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "the dead request still holds its Idempotency-Key");
                await Task.Delay(200);
            }
        }
        while (retry.StatusCode == HttpStatusCode.Conflict);

        retry.StatusCode.ShouldBe(HttpStatusCode.OK, await retry.Content.ReadAsStringAsync());
        output.WriteLine($"the retried upload went through {clock.ElapsedMilliseconds} ms after the restart");
        (await rig.ScalarAsync("SELECT count(*) FROM assets")).ShouldBe(3);
    }
}
