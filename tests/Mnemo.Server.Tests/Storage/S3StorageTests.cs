using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Storage;

/// <summary>The stored bytes in an S3-compatible bucket (s3rver on loopback) instead of the data directory.</summary>
public sealed class S3StorageTests : IAsyncLifetime, IDisposable
{
    private S3Server s3 = null!;
    private MnemoServer server = null!;

    public async Task InitializeAsync()
    {
        s3 = await S3Server.StartAsync();
        server = new MnemoServer(s3.Settings);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        s3.Dispose();
    }

    [Fact]
    public async Task VideoLivesInTheBucketParsesDownloadsWithRangesSplitsAndLeavesNothingWhenDeleted()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("asset_id");
        var folder = $"assets/{assetId["re_".Length..]}/";

        var resource = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => Resource(b).Str("upload_status") is "SUCCESS" or "FAILED")).GetProperty("data").GetProperty("resource")[0];
        resource.Str("upload_status").ShouldBe("SUCCESS");
        resource.GetProperty("duration").GetDouble().ShouldBe(3, 0.2);
        resource.GetProperty("width").GetInt32().ShouldBe(320);
        var keys = await KeysAsync(folder);
        keys.ShouldContain(folder + "original");
        keys.ShouldContain(k => k.StartsWith(folder + "thumbs/", StringComparison.Ordinal) && k.EndsWith(".jpg", StringComparison.Ordinal));
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty(); // neither the original nor a scratch copy stays on local disk

        var bytes = await File.ReadAllBytesAsync(TestMedia.Mp4WithSubtitles);
        var download = await client.GetAsync($"/serve/api/v2/{assetId}/download");
        download.Content.Headers.ContentLength.ShouldBe(bytes.Length);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/serve/api/v2/{assetId}/download");
        range.Headers.Range = new RangeHeaderValue(1000, 1999);
        var partial = await client.SendAsync(range);
        partial.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).ShouldBe(bytes[1000..2000]);

        var taskId = (await (await client.PostAsJsonAsync("/serve/api/v2/video/split", new { asset_id = assetId, segment_seconds = 1 })).BodyAsync())
            .GetProperty("data").Str("task_id");
        var task = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/video/task/{taskId}"),
            b => b.GetProperty("data").Str("status") is "SUCCESS" or "FAILED")).GetProperty("data");
        task.Str("status").ShouldBe("SUCCESS");
        var clips = task.GetProperty("clips").EnumerateArray().ToList();
        clips.Count.ShouldBe(3);
        var clip = await client.GetAsync(clips[0].Str("download_url"));
        clip.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await clip.Content.ReadAsByteArrayAsync()).Length.ShouldBe((int)clips[0].GetProperty("file_size").GetInt64());
        (await KeysAsync($"{folder}tasks/{taskId}/")).Count.ShouldBe(3);

        (await client.DeleteAsync($"/serve/api/v2/{assetId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await KeysAsync(folder)).ShouldBeEmpty();
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();
    }

    [Fact]
    public async Task TruncatedVideoFailsWithTheToolsCauseAndKeepsItsOriginalInTheBucket()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.TruncatedMp4)).BodyAsync()).GetProperty("data").Str("asset_id");
        var resource = Resource(await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => Resource(b).Str("upload_status") is "SUCCESS" or "FAILED"));
        resource.Str("upload_status").ShouldBe("FAILED");
        resource.Str("cause").ShouldNotContain(".work"); // the scratch copy's path is not the user's business
        resource.Str("cause").ShouldContain("moov atom not found");
        resource.Str("cause").ShouldContain("truncated.mp4");
        (await KeysAsync($"assets/{assetId["re_".Length..]}/")).ShouldBe([$"assets/{assetId["re_".Length..]}/original"]);
    }

    [Fact]
    public async Task LargeFileGoesUpInPartsAndReadsBackFromAnyOffset()
    {
        using var small = new MnemoServer(new Dictionary<string, string?>(s3.Settings) { ["Mnemo:Storage:S3:PartSizeBytes"] = "5242880" });
        var store = small.Services.GetRequiredService<Mnemo.Server.Storage.IBlobStore>();
        var bytes = new byte[12 * 1024 * 1024 + 123]; // three parts, the last a short one
        new Random(7).NextBytes(bytes);
        var local = Path.Combine(small.DataDir, "big.bin");
        await File.WriteAllBytesAsync(local, bytes);

        await store.PutAsync("assets/big/original", local, CancellationToken.None);
        File.Exists(local).ShouldBeFalse();
        await using var read = (await store.OpenReadAsync("assets/big/original", CancellationToken.None)).ShouldNotBeNull();
        read.Length.ShouldBe(bytes.Length);
        read.Seek(6 * 1024 * 1024, SeekOrigin.Begin);
        var tail = new MemoryStream();
        await read.CopyToAsync(tail);
        tail.ToArray().ShouldBe(bytes[(6 * 1024 * 1024)..]);
        await store.DeleteFolderAsync("assets/big/", CancellationToken.None);
        (await store.OpenReadAsync("assets/big/original", CancellationToken.None)).ShouldBeNull();
    }

    private static JsonElement Resource(JsonElement body) => body.GetProperty("data").GetProperty("resource")[0];

    private async Task<List<string>> KeysAsync(string prefix)
    {
        var listed = await server.Services.GetRequiredService<IAmazonS3>().ListObjectsV2Async(new() { BucketName = S3Server.Bucket, Prefix = prefix });
        return [.. (listed.S3Objects ?? []).Select(o => o.Key)];
    }
}
