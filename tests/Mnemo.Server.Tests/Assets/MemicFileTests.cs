using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

public sealed class MemicFileTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static Func<JsonElement, bool> Settled => b => b.Str("status") is "ready" || b.Str("status")!.EndsWith("_failed", StringComparison.Ordinal);

    [Fact]
    public async Task UploadUrlThatExpiresUnusedLeavesAFailedFileSayingSoNotAPendingOne()
    {
        using var quick = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Assets:SignedUrlSeconds"] = "1",
            ["Mnemo:Assets:ExpiredUploadSweepSeconds"] = "1",
        });
        var account = await quick.CreateAccountAsync();
        using var client = quick.WithKey(account.Key);
        var created = await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "late.pdf", size = 1000, mime_type = "application/pdf" })).BodyAsync();

        var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{created.Str("file_id")}/status"), b => b.Str("status") != "uploading", seconds: 15);
        file.Str("status").ShouldBe("upload_failed");
        file.Str("error_message").ShouldContain("upload URL expired");
        using var anonymous = quick.Anonymous();
        await (await anonymous.PutAsync(created.Str("upload_url"), new ByteArrayContent(new byte[1000]))).ShouldBeMemicErrorAsync(403, "forbidden");
    }

    [Fact]
    public async Task InitPutConfirmParsesVideoWithTranscriptAndSecondDeleteIsFileNotFound()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var bytes = await File.ReadAllBytesAsync(TestMedia.Mp4WithSubtitles);
        var init = await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "talk.mp4", size = bytes.Length, mime_type = "video/mp4", reference_id = "ref-1", metadata = new { team = "a" } });
        init.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await init.BodyAsync();
        var fileId = created.GetProperty("file_id").GetGuid();

        var pending = await (await client.GetAsync($"/api/v1/files/{fileId}/status")).BodyAsync();
        pending.Str("status").ShouldBe("uploading");
        await (await client.GetAsync($"/api/v1/files/{fileId}/content")).ShouldBeMemicErrorAsync(409, "file_still_processing");

        using var anonymous = server.Anonymous();
        (await anonymous.PutAsync(created.Str("upload_url"), new ByteArrayContent(bytes))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var confirmed = await (await client.PostAsync($"/api/v1/files/{fileId}/confirm", null)).BodyAsync();
        confirmed.Str("status").ShouldBeOneOf("uploaded", "parsing_started", "embedding_started", "embedding_complete", "ready");

        var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/sdk/files/{fileId}/status"), Settled);
        file.Str("status").ShouldBe("ready");
        file.Str("error_message").ShouldBeNull();
        file.Str("reference_id").ShouldBe("ref-1");
        file.GetProperty("metadata").Str("team").ShouldBe("a");
        file.GetProperty("size").GetInt64().ShouldBe(bytes.Length);
        file.Str("mime_type").ShouldBe("video/mp4");
        file.Str("environment_slug").ShouldBe("production");
        file.GetProperty("total_chunks").GetInt32().ShouldBe(2);
        file.GetProperty("extracted").GetProperty("width").GetInt32().ShouldBe(320);
        file.GetProperty("extracted").GetProperty("duration_seconds").GetDouble().ShouldBe(3, 0.2);

        var content = await (await client.GetAsync($"/api/v1/files/{fileId}/content")).BodyAsync();
        content.Str("content").ShouldContain("Hello from the subtitle track");
        content.GetProperty("chunks")[1].GetProperty("start_time").GetDouble().ShouldBe(1.8, 0.01);

        var list = await (await client.GetAsync("/api/v1/files?page=1&page_size=10")).BodyAsync();
        list.GetProperty("total").GetInt32().ShouldBe(1);
        list.GetProperty("total_pages").GetInt32().ShouldBe(1);
        list.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(fileId);

        (await client.DeleteAsync($"/api/v1/files/{fileId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();
        await (await client.DeleteAsync($"/api/v1/files/{fileId}")).ShouldBeMemicErrorAsync(404, "file_not_found");
        await (await client.GetAsync($"/api/v1/files/{fileId}")).ShouldBeMemicErrorAsync(404, "file_not_found");
    }

    [Fact]
    public async Task InitRejectsBadTypeOversizeAndAnotherEnvironment()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "a.exe", size = 10, mime_type = "application/x-msdownload" }))
            .ShouldBeMemicErrorAsync(400, "invalid_file_type");
        await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "a.pdf", size = 200L * 1024 * 1024, mime_type = "application/pdf" }))
            .ShouldBeMemicErrorAsync(413, "file_too_large");
        await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "a.pdf", size = 10, mime_type = "application/pdf", environment_slug = "staging" }))
            .ShouldBeMemicErrorAsync(403, "forbidden");
    }

    [Fact]
    public async Task PutLongerThanDeclaredIsFileTooLarge()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var created = await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "a.pdf", size = 100, mime_type = "application/pdf" })).BodyAsync();
        using var anonymous = server.Anonymous();
        await (await anonymous.PutAsync(created.Str("upload_url"), new ByteArrayContent(TestMedia.TinyPdf("x", "y"))))
            .ShouldBeMemicErrorAsync(413, "file_too_large");
        var file = await (await client.GetAsync($"/api/v1/files/{created.GetProperty("file_id").GetGuid()}")).BodyAsync();
        file.Str("status").ShouldBe("upload_failed");
        file.Str("error_message").ShouldStartWith("Upload rejected: The file is larger than the 100 bytes allowed for it");
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();
    }

    [Fact]
    public async Task TextFileNamedMp4IsInvalidFileType()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        await (await client.PostFileAsync("/api/v1/files", TestMedia.TextNamedMp4)).ShouldBeMemicErrorAsync(400, "invalid_file_type");
    }

    [Fact]
    public async Task PdfDocxAndXlsxBecomeTextChunksWithPages()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var pdf = await client.PostFileAsync("/api/v1/files", TestMedia.Pdf);
        pdf.StatusCode.ShouldBe(HttpStatusCode.Created);
        var pdfId = (await pdf.BodyAsync()).GetProperty("id").GetGuid();
        var docxId = (await (await client.PostFileAsync("/api/v1/files", TestMedia.Docx)).BodyAsync()).GetProperty("id").GetGuid();

        var pdfFile = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{pdfId}"), Settled);
        pdfFile.Str("status").ShouldBe("ready");
        pdfFile.GetProperty("page_count").GetInt32().ShouldBe(2);
        var pdfContent = await (await client.GetAsync($"/api/v1/files/{pdfId}/content")).BodyAsync();
        var chunks = pdfContent.GetProperty("chunks");
        chunks[0].Str("content").ShouldContain("llamas");
        chunks[0].GetProperty("page_number").GetInt32().ShouldBe(1);
        chunks[1].Str("content").ShouldContain("alpacas");
        chunks[1].GetProperty("page_number").GetInt32().ShouldBe(2);

        (await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{docxId}"), Settled)).Str("status").ShouldBe("ready");
        var docx = await (await client.GetAsync($"/api/v1/files/{docxId}/content")).BodyAsync();
        docx.Str("content").ShouldContain("Quarterly report on capybaras");
        docx.Str("content").ShouldContain("largest rodents");

        var xlsxId = (await (await client.PostFileAsync("/api/v1/files", TestMedia.Xlsx)).BodyAsync()).GetProperty("id").GetGuid();
        (await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{xlsxId}"), Settled)).GetProperty("page_count").GetInt32().ShouldBe(1);
        (await (await client.GetAsync($"/api/v1/files/{xlsxId}/content")).BodyAsync()).Str("content").ShouldContain("Wombat");
    }

    [Fact]
    public async Task AudioAndVideoFormatsParseWithTheirFacts()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var ids = new Dictionary<string, Guid>();
        foreach (var path in new[] { TestMedia.WebM, TestMedia.Mkv, TestMedia.Wav, TestMedia.Mp3 })
        {
            ids[Path.GetExtension(path)] = (await (await client.PostFileAsync("/api/v1/files", path)).BodyAsync()).GetProperty("id").GetGuid();
        }

        async Task<JsonElement> Ready(string ext)
        {
            var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{ids[ext]}"), Settled);
            file.Str("status").ShouldBe("ready", file.ToString());
            return file.GetProperty("extracted");
        }

        var webm = await Ready(".webm");
        webm.Str("video_codec").ShouldBe("vp9");
        webm.Str("format").ShouldBe("webm");
        (await Ready(".mkv")).Str("format").ShouldBe("mkv");
        (await (await client.GetAsync($"/api/v1/files/{ids[".mkv"]}/content")).BodyAsync()).Str("content").ShouldContain("Second line here");
        var wav = await Ready(".wav");
        wav.Str("audio_codec").ShouldBe("pcm_s16le");
        wav.GetProperty("duration_seconds").GetDouble().ShouldBe(2, 0.1);
        var mp3 = await Ready(".mp3");
        mp3.Str("audio_codec").ShouldBe("mp3");
        mp3.GetProperty("width").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task ListPagingIsValidated()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        await (await client.GetAsync("/api/v1/files?page=0")).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await client.GetAsync("/api/v1/files?page_size=101")).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        var empty = await (await client.GetAsync("/api/v1/files")).BodyAsync();
        empty.GetProperty("items").GetArrayLength().ShouldBe(0);
        empty.GetProperty("page_size").GetInt32().ShouldBe(20);
    }
}
