using Mnemo.Client.Memories;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Client.Tests;

public sealed class MemoriesClientTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task AV2AssetIsUploadedWaitedForListedDownloadedAndDeleted()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var client = new MemoriesClient(SdkKit.Options(server, account.Key));
        var path = TestMedia.Mp4WithSubtitles;

        var assetId = await client.UploadAsync(path);
        assetId.ShouldStartWith("re_");
        var ready = await client.WaitUntilReadyAsync(assetId, TimeSpan.FromSeconds(60));
        ready.UploadStatus.ShouldBe(UploadStatus.Success);
        ready.Duration.ShouldNotBeNull().ShouldBeGreaterThan(2);
        ready.CreatedAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));

        var listed = new List<AssetSummary>();
        await foreach (var a in client.ListAsync())
        {
            listed.Add(a);
        }

        listed.ShouldHaveSingleItem().AssetId.ShouldBe(assetId);

        using var copy = new MemoryStream();
        await client.DownloadAsync(assetId, copy);
        copy.ToArray().ShouldBe(await File.ReadAllBytesAsync(path));

        await client.DeleteAsync(assetId);
        await Should.ThrowAsync<NotFoundException>(() => client.GetMetadataAsync(assetId));
    }
}
