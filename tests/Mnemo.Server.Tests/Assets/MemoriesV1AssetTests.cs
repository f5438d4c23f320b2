using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

public sealed class MemoriesV1AssetTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static Func<JsonElement, bool> Parsed => b => b.GetProperty("data").Str("status") != "UNPARSE";

    [Fact]
    public async Task VideoUploadParsesReadsTranscriptDownloadsIdenticalAndSecondDeleteIs0409()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);

        var upload = await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Mp4WithSubtitles, fields: new Dictionary<string, string> { ["tags"] = "demo,test" });
        var uploaded = await upload.BodyAsync();
        uploaded.Str("code").ShouldBe("0000");
        var data = uploaded.GetProperty("data");
        var videoNo = data.Str("videoNo");
        videoNo.ShouldStartWith("VI");
        data.Str("videoStatus").ShouldBe("UNPARSE");
        data.Str("videoName").ShouldBe("video.mp4");

        var metadata = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"), Parsed)).GetProperty("data");
        metadata.Str("status").ShouldBe("PARSE");
        metadata.GetProperty("duration").GetDouble().ShouldBe(3, 0.2);
        metadata.GetProperty("width").GetInt32().ShouldBe(320);
        metadata.GetProperty("height").GetInt32().ShouldBe(240);
        metadata.GetProperty("fps").GetDouble().ShouldBe(25, 0.01);
        metadata.Str("video_codec").ShouldBe("h264");
        metadata.Str("audio_codec").ShouldBe("aac");
        metadata.GetProperty("size").GetInt64().ShouldBe(new FileInfo(TestMedia.Mp4WithSubtitles).Length);
        metadata.GetProperty("thumbnail_count").GetInt32().ShouldBeGreaterThan(0);
        metadata.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["demo", "test"]);

        var transcript = (await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no={videoNo}")).BodyAsync()).GetProperty("data");
        transcript.Str("videoNo").ShouldBe(videoNo);
        var segments = transcript.GetProperty("transcriptions").EnumerateArray().ToList();
        segments.Count.ShouldBe(2);
        segments[0].Str("content").ShouldBe("Hello from the subtitle track");
        segments[0].GetProperty("startTime").GetDouble().ShouldBe(0.5, 0.01);
        segments[0].GetProperty("endTime").GetDouble().ShouldBe(1.5, 0.01);

        var list = (await (await client.PostAsJsonAsync("/serve/api/v1/list_videos", new { page = 1, size = 10, status = "PARSE" })).BodyAsync()).GetProperty("data");
        list.GetProperty("total_count").GetInt32().ShouldBe(1);
        list.GetProperty("videos")[0].Str("video_no").ShouldBe(videoNo);

        var download = await client.PostAsJsonAsync("/serve/api/v1/download", new { video_no = videoNo });
        download.EnsureSuccessStatusCode();
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        download.Content.Headers.ContentLength.ShouldBe(new FileInfo(TestMedia.Mp4WithSubtitles).Length);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(await File.ReadAllBytesAsync(TestMedia.Mp4WithSubtitles));

        var deleted = await client.PostAsJsonAsync("/serve/api/v1/delete_videos", new[] { videoNo });
        (await deleted.BodyAsync()).Str("code").ShouldBe("0000");
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();

        var again = await client.PostAsJsonAsync("/serve/api/v1/delete_videos", new[] { videoNo });
        await again.ShouldBeV1ErrorAsync(409, "0409", "Request conflict or duplicate request");
        var gone = await client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}");
        (await gone.BodyAsync()).GetProperty("data").ValueKind.ShouldBe(JsonValueKind.Null); // deleted: data null, as the hosted API
        await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no={videoNo}")).ShouldBeV1ErrorAsync(400, "0001", "Asset not found");
    }

    [Fact]
    public async Task TruncatedVideoEndsInParseErrorWithACauseNamingTheProblemAndKeepsItsBytes()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var videoNo = (await (await client.PostFileAsync("/serve/api/v1/upload", TestMedia.TruncatedMp4)).BodyAsync()).GetProperty("data").Str("videoNo");

        var metadata = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"), Parsed)).GetProperty("data");
        metadata.Str("status").ShouldBe("PARSE_ERROR");
        metadata.Str("cause").ShouldContain("moov atom not found");
        metadata.Str("cause").ShouldContain("truncated.mp4");
        metadata.Str("cause").ShouldNotContain(server.DataDir);

        var download = await client.PostAsJsonAsync("/serve/api/v1/download", new { video_no = videoNo });
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(await File.ReadAllBytesAsync(TestMedia.TruncatedMp4));
        Uploads.StoredFiles(server.DataDir).Select(Path.GetFileName).ShouldBe(["original"]);

        var rows = (await (await client.PostAsJsonAsync("/serve/api/v1/list_videos", new { status = "PARSE_ERROR" })).BodyAsync()).GetProperty("data").GetProperty("videos");
        rows[0].Str("cause").ShouldContain("moov atom not found");
    }

    /// <summary>Files whose header is whole but whose data was cut off: they probe, yet they are truncated, not parsed.</summary>
    [Theory]
    [InlineData("faststart mp4", "partial file")]    // the MP4 demuxer's words for a sample past the end
    [InlineData("webm", "header says 6 s")]          // Matroska: where its packets end
    public async Task VideoCutShortEndsInParseErrorSayingItIsTruncated(string media, string says)
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var path = media == "webm" ? TestMedia.TruncatedWebM : TestMedia.TruncatedFaststartMp4;
        var videoNo = (await (await client.PostFileAsync("/serve/api/v1/upload", path)).BodyAsync()).GetProperty("data").Str("videoNo");

        var metadata = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"), Parsed)).GetProperty("data");
        metadata.Str("status").ShouldBe("PARSE_ERROR");
        metadata.Str("cause").ShouldContain("truncated");
        metadata.Str("cause").ShouldContain(says);
    }

    [Fact]
    public async Task TextFileNamedMp4IsUnsupportedMediaTypeAndLeavesNoFile()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var response = await client.PostFileAsync("/serve/api/v1/upload", TestMedia.TextNamedMp4);
        await response.ShouldBeV1ErrorAsync(415, "0415", "Unsupported media type");
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();
    }

    [Fact]
    public async Task SubtitleFileUploadedWithVideoNoBecomesThatVideosTranscript()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var videoNo = (await (await client.PostFileAsync("/serve/api/video/upload", TestMedia.WebM, fields: new Dictionary<string, string> { ["folder_id"] = "f1" })).BodyAsync())
            .GetProperty("data").Str("videoNo");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/video/get_metadata?video_no={videoNo}&folder_id=f1"), Parsed);

        var srt = await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Srt, fields: new Dictionary<string, string> { ["video_no"] = videoNo, ["unique_id"] = "f1" });
        var srtNo = (await srt.BodyAsync()).GetProperty("data").Str("videoNo");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={srtNo}&unique_id=f1"), Parsed);

        var transcript = (await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no={videoNo}&unique_id=f1")).BodyAsync()).GetProperty("data");
        transcript.GetProperty("transcriptions").GetArrayLength().ShouldBe(2);
        transcript.GetProperty("transcriptions")[1].Str("content").ShouldBe("Second line here");
    }

    [Fact]
    public async Task ImagesKeepExifCameraDateAndGps()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var content = new MultipartFormDataContent
        {
            { new StreamContent(File.OpenRead(TestMedia.JpegWithExif)), "files", "photo.jpg" },
            { new StreamContent(File.OpenRead(TestMedia.Png)), "files", "image.png" },
        };
        var ids = (await (await client.PostAsync("/serve/api/v1/upload_img", content)).BodyAsync()).GetProperty("data");
        ids.GetArrayLength().ShouldBe(2);

        var photo = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={ids[0].Str("id")}"), Parsed)).GetProperty("data");
        photo.Str("status").ShouldBe("PARSE");
        photo.GetProperty("width").GetInt32().ShouldBe(160);
        photo.Str("camera_model").ShouldBe("Mnemo TestCam 1");
        photo.GetProperty("latitude").GetDouble().ShouldBe(48.8583, 0.0001);
        photo.GetProperty("longitude").GetDouble().ShouldBe(2.2945, 0.0001);
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(photo.Str("datetime_taken"))).ShouldBe(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));

        var png = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={ids[1].Str("id")}"), Parsed)).GetProperty("data");
        png.Str("status").ShouldBe("PARSE");
        png.GetProperty("height").GetInt32().ShouldBe(240);
    }

    [Fact]
    public async Task KeyframeThumbnailsAreTakenAtSceneChanges()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var videoNo = (await (await client.PostFileAsync("/serve/api/v1/upload", TestMedia.TwoScenes)).BodyAsync()).GetProperty("data").Str("videoNo");
        var metadata = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"), Parsed)).GetProperty("data");
        metadata.Str("status").ShouldBe("PARSE");
        metadata.GetProperty("thumbnail_count").GetInt32().ShouldBe(2); // the first frame and the cut to red
        var id = videoNo[2..];
        Directory.GetFiles(Path.Combine(server.DataDir, "assets", id, "thumbs"), "*.jpg").Length.ShouldBe(2);
    }

    [Fact]
    public async Task AnotherAccountsVideoIsAssetNotFound()
    {
        var owner = await server.CreateAccountAsync();
        var other = await server.CreateAccountAsync();
        using var ownerClient = server.WithKey(owner.Key);
        using var otherClient = server.WithKey(other.Key);
        var videoNo = (await (await ownerClient.PostFileAsync("/serve/api/v1/upload", TestMedia.Wav)).BodyAsync()).GetProperty("data").Str("videoNo");

        (await (await otherClient.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}")).BodyAsync()).GetProperty("data").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null); // unknown to this caller: data null, as the hosted API
        await (await otherClient.PostAsJsonAsync("/serve/api/v1/delete_videos", new[] { videoNo })).ShouldBeV1ErrorAsync(400, "0001", "Asset not found");
    }
}
