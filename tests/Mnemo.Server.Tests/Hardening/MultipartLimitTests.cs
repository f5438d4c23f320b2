using System.Net.Http.Headers;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>
/// The plain fields of a multipart (or form) body are capped in count, length and total on every route
/// that reads one, so a body of thousands of large fields is refused before it fills memory.
/// Defaults: 100 fields, 64 KiB each, 1 MiB together.
/// </summary>
public sealed class MultipartLimitTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    public static TheoryData<string> Routes() =>
    [
        "/serve/api/v1/upload", "/serve/api/v1/upload_img", "/serve/api/v1/upload_url", "/serve/api/v2/upload", "/api/v1/files",
    ];

    private static MultipartFormDataContent Form(string path, IEnumerable<(string Name, string Value)> fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        if (path.EndsWith("/upload_url", StringComparison.Ordinal))
        {
            content.Add(new StringContent("http://127.0.0.1:9/never.mp4"), "url");
        }
        else
        {
            var (bytes, name) = path switch
            {
                "/serve/api/v1/upload" => (File.ReadAllBytes(TestMedia.Mp4WithSubtitles), "clip.mp4"),
                "/serve/api/v1/upload_img" => (File.ReadAllBytes(TestMedia.Png), "image.png"),
                _ => (TestMedia.TinyPdf("limits"), "doc.pdf"),
            };
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, path.EndsWith("/upload_img", StringComparison.Ordinal) ? "files" : "file", name);
        }

        return content;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<(string Name, string Value)> fields)
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        return await client.PostAsync(path, Form(path, fields));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task MoreThanAHundredFieldsAreInvalidRequest(string path)
    {
        var response = await PostAsync(path, Enumerable.Range(0, 101).Select(i => ($"f{i}", "x")));
        (await response.ShouldBeErrorOnAsync(path, "invalid_request"))?.ShouldContain("100");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AFieldOver64KiBIsInvalidRequest(string path)
    {
        var response = await PostAsync(path, [("camera_model", new string('a', 64 * 1024 + 1))]);
        (await response.ShouldBeErrorOnAsync(path, "invalid_request"))?.ShouldContain("64 KiB");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task FieldsOver1MiBTogetherAreFileTooLarge(string path)
    {
        var response = await PostAsync(path, Enumerable.Range(0, 20).Select(i => ($"f{i}", new string('a', 60 * 1024))));
        await response.ShouldBeErrorOnAsync(path, "file_too_large");
    }

    [Fact]
    public async Task HundredsOfLargeFieldsAreRefused()
    {
        const string path = "/serve/api/v2/upload";
        var response = await PostAsync(path, Enumerable.Range(0, 300).Select(i => ($"f{i}", new string('a', 64 * 1024))));
        await response.ShouldBeErrorOnAsync(path, "file_too_large");
    }

    [Fact]
    public async Task RepeatedAndUsualFieldsStillUpload()
    {
        var fields = new List<(string, string)> { ("tags", "a"), ("tags", "b"), ("tags", "c"), ("unique_id", "limits"), ("camera_model", new string('c', 1000)) };
        var v1 = await PostAsync("/serve/api/v1/upload", fields);
        ((int)v1.StatusCode).ShouldBe(200, await v1.Content.ReadAsStringAsync());
        var memic = await PostAsync("/api/v1/files", [("metadata", "{\"category\":\"" + new string('m', 30_000) + "\"}"), ("reference_id", "r1")]);
        ((int)memic.StatusCode).ShouldBe(201, await memic.Content.ReadAsStringAsync());
    }
}
