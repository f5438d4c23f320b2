using System.Net.Http.Headers;
using System.Text;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>
/// A broken request body on upload_url is the client's error (400 invalid_request, no Retry-After),
/// not a dependency down (503), which would make clients retry the same broken request.
/// </summary>
public sealed class UploadUrlBodyTests : IDisposable
{
    private const string Path = "/serve/api/v1/upload_url";
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static async Task ShouldBeInvalidRequestAsync(HttpResponseMessage response)
    {
        response.Headers.Contains("Retry-After").ShouldBeFalse();
        await response.ShouldBeErrorOnAsync(Path, "invalid_request");
    }

    [Fact]
    public async Task AMultipartBodyWithoutItsBoundariesIsInvalidRequest()
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var content = new StringContent("garbage without any boundary", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        await ShouldBeInvalidRequestAsync(await client.PostAsync(Path, content));
    }

    [Fact]
    public async Task AMultipartBodyCutShortIsInvalidRequest()
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var content = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttp://example.com/a.mp4", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        await ShouldBeInvalidRequestAsync(await client.PostAsync(Path, content));
    }

    private const string Multipart = "multipart/form-data; boundary=xyz";
    private const string UrlEncoded = "application/x-www-form-urlencoded";
    private const string MultipartBody = "--xyz\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttp://example.com/a.mp4\r\n--xyz--\r\n";

    [Theory]
    [InlineData(UrlEncoded, "Transfer-Encoding: chunked", "zz\r\nurl=x\r\n0\r\n\r\n")]
    [InlineData(UrlEncoded, "Transfer-Encoding: chunked", "5\r\nurl=http://example.com/a.mp4\r\n0\r\n\r\n")]
    [InlineData(UrlEncoded, "Content-Length: 27\nTransfer-Encoding: chunked", "url=http://example.com/a.mp4")]
    [InlineData(Multipart, "Transfer-Encoding: chunked", "zz\r\n" + MultipartBody + "\r\n0\r\n\r\n")]
    [InlineData(Multipart, "Transfer-Encoding: chunked", "10\r\n" + MultipartBody + "\r\n0\r\n\r\n")]
    [InlineData(Multipart, "Content-Length: 85\nTransfer-Encoding: chunked", MultipartBody)]
    public async Task ABrokenFramingIsInvalidRequest(string contentType, string framing, string body)
    {
        var key = (await server.CreateAccountAsync()).Key;
        var head = $"POST {Path} HTTP/1.1\nHost: {server.BaseAddress.Authority}\nAuthorization: {key}\n" +
                   $"Content-Type: {contentType}\n{framing}\nConnection: close\n";
        await ShouldBeInvalidRequestAsync(await RawHttp.SendAsync(server.BaseAddress, head, body));
    }
}
