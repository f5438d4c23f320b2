using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

public sealed class MemoriesV2AssetTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static JsonElement Resource(JsonElement body) => body.GetProperty("data").GetProperty("resource")[0];

    private static Func<JsonElement, bool> Settled => b => Resource(b).Str("upload_status") is "SUCCESS" or "FAILED";

    [Fact]
    public async Task VideoUploadSucceedsDownloadsWithRangesAndSecondDeleteIsAssetNotFound()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var upload = await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync();
        upload.GetProperty("code").GetInt32().ShouldBe(200);
        var assetId = upload.GetProperty("data").Str("asset_id");
        assetId.ShouldStartWith("re_");

        var resource = Resource(await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"), Settled));
        resource.Str("upload_status").ShouldBe("SUCCESS");
        resource.Str("extension").ShouldBe("mp4");
        resource.Str("original_filename").ShouldBe("video.mp4");
        resource.GetProperty("duration").GetDouble().ShouldBe(3, 0.2);
        resource.GetProperty("width").GetInt32().ShouldBe(320);
        resource.GetProperty("height").GetInt32().ShouldBe(240);
        var bytes = await File.ReadAllBytesAsync(TestMedia.Mp4WithSubtitles);
        resource.GetProperty("file_size").GetInt64().ShouldBe(bytes.Length);
        resource.Str("sha256").ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));

        var download = await client.GetAsync($"/serve/api/v2/{assetId}/download");
        download.Content.Headers.ContentLength.ShouldBe(bytes.Length);
        download.Content.Headers.ContentDisposition!.FileName.ShouldNotBeNull().ShouldContain("video.mp4");
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/serve/api/v2/{assetId}/download");
        range.Headers.Range = new RangeHeaderValue(10, 19);
        var partial = await client.SendAsync(range);
        partial.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).ShouldBe(bytes[10..20]);

        var deleted = await (await client.DeleteAsync($"/serve/api/v2/{assetId}")).BodyAsync();
        deleted.GetProperty("code").GetInt32().ShouldBe(200);
        deleted.GetProperty("data").ValueKind.ShouldBe(JsonValueKind.Null);
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();
        await (await client.DeleteAsync($"/serve/api/v2/{assetId}")).ShouldBeV2ErrorAsync(400, "Asset not found");
        await (await client.GetAsync($"/serve/api/v2/{assetId}/download")).ShouldBeV2ErrorAsync(400, "Asset not found");
    }

    [Fact]
    public async Task HeadTellsTheSizeFreeAndARangePastTheEndIsAnInvalidRequestInTheEnvelope()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Wav)).BodyAsync()).GetProperty("data").Str("asset_id");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"), Settled);
        var size = new FileInfo(TestMedia.Wav).Length;
        var balance = await client.BalanceAsync();

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/serve/api/v2/{assetId}/download"));
        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.ShouldBe(size);
        (await client.BalanceAsync()).ShouldBe(balance);

        using var past = new HttpRequestMessage(HttpMethod.Get, $"/serve/api/v2/{assetId}/download");
        past.Headers.Range = new RangeHeaderValue(size + 10, null);
        await (await client.SendAsync(past)).ShouldBeV2ErrorAsync(400, "Invalid request parameters");
    }

    [Fact]
    public async Task SignedUrlTakesOneUploadWithoutAKeyThenTheAssetParses()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var signed = (await (await client.PostAsJsonAsync("/serve/api/v2/upload/signed-url", new { original_filename = "clip.mkv" })).BodyAsync()).GetProperty("data");
        var assetId = signed.Str("asset_id");
        signed.GetProperty("expires_in").GetInt32().ShouldBeGreaterThan(0);
        Resource(await (await client.GetAsync($"/serve/api/v2/{assetId}/metadata")).BodyAsync()).Str("upload_status").ShouldBe("WAITING");

        using var anonymous = server.Anonymous();
        var put = await anonymous.PutAsync(signed.Str("signed_url"), new ByteArrayContent(await File.ReadAllBytesAsync(TestMedia.Mkv)));
        (await put.BodyAsync()).GetProperty("data").Str("asset_id").ShouldBe(assetId);
        var again = await anonymous.PutAsync(signed.Str("signed_url"), new ByteArrayContent(await File.ReadAllBytesAsync(TestMedia.Mkv)));
        await again.ShouldBeV2ErrorAsync(403, "Forbidden");

        var resource = Resource(await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"), Settled));
        resource.Str("upload_status").ShouldBe("SUCCESS");
        resource.Str("extension").ShouldBe("mkv");
        resource.GetProperty("duration").GetDouble().ShouldBe(3, 0.2);
    }

    [Fact]
    public async Task MultipartBodyThatEndsMidFileIsInvalidRequestAndLeavesNoFile()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var body = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\n\0\0\0\u0018ftypisom and then nothing";
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b0undary");
        await (await client.PostAsync("/serve/api/v2/upload", content)).ShouldBeV2ErrorAsync(400, "Invalid request parameters");
        Uploads.StoredFiles(server.DataDir).Where(f => !f.Contains(".incoming")).ShouldBeEmpty();
        Directory.GetFiles(Path.Combine(server.DataDir, "assets", ".incoming")).ShouldBeEmpty();
    }

    [Fact]
    public async Task SubtitleUploadedWithAssetIdReplacesThatVideosTranscript()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var videoId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("asset_id");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{videoId}/metadata"), Settled);

        var vtt = Path.Combine(Path.GetTempPath(), $"mnemo-{Guid.NewGuid():N}.vtt");
        await File.WriteAllTextAsync(vtt, "WEBVTT\n\n00:00.000 --> 00:02.000\nA replacement transcript\n");
        try
        {
            var subtitleId = (await (await client.PostFileAsync("/serve/api/v2/upload", vtt, fields: new Dictionary<string, string> { ["asset_id"] = videoId }))
                .BodyAsync()).GetProperty("data").Str("asset_id");
            Resource(await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{subtitleId}/metadata"), Settled)).Str("upload_status").ShouldBe("SUCCESS");
        }
        finally
        {
            File.Delete(vtt);
        }

        var transcript = (await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no=VI{videoId[3..]}")).BodyAsync())
            .GetProperty("data").GetProperty("transcriptions");
        transcript.GetArrayLength().ShouldBe(1);
        transcript[0].Str("content").ShouldBe("A replacement transcript");
        await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Srt, fields: new Dictionary<string, string> { ["asset_id"] = "re_999999" }))
            .ShouldBeV2ErrorAsync(400, "Asset not found");
    }

    [Fact]
    public async Task FileOverItsKindsLimitIsFileTooLarge()
    {
        using var small = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Assets:VideoMaxBytes"] = "10000" });
        var account = await small.CreateAccountAsync();
        using var client = small.WithKey(account.Key);
        await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).ShouldBeV2ErrorAsync(413, "File too large");
        Uploads.StoredFiles(small.DataDir).ShouldBeEmpty();
    }
}
