using System.Diagnostics;
using System.Net.Http.Headers;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "memory measurements";
}

/// <summary>Runs alone (no other test allocating in this process) so the process's RSS is the server's.</summary>
[Collection(MemoryMeasurements.Name)]
public sealed class LargeUploadMemoryTests : IDisposable
{
    private const long Size = 512L * 1024 * 1024;
    private readonly MnemoServer server = new();
    private readonly string bigFile = Path.Combine(Path.GetTempPath(), "mnemo-big-" + Guid.NewGuid().ToString("N") + ".mp4");

    public void Dispose()
    {
        server.Dispose();
        File.Delete(bigFile);
    }

    [Fact]
    public async Task HalfGigabyteUploadAndDownloadKeepMemoryFlat()
    {
        await using (var file = File.Create(bigFile))
        {
            await file.WriteAsync(new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m' });
            file.SetLength(Size); // sparse: no disk for the source, real bytes for the server to stream
        }

        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        client.Timeout = TimeSpan.FromMinutes(3);
        (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Wav)).EnsureSuccessStatusCode();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Rss();
        long peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss());
                await Task.Delay(50);
            }
        });

        var upload = await (await client.PostFileAsync("/serve/api/v2/upload", bigFile)).BodyAsync();
        var assetId = upload.GetProperty("data").Str("asset_id");
        using (var download = await client.GetAsync($"/serve/api/v2/{assetId}/download", HttpCompletionOption.ResponseHeadersRead))
        {
            download.Content.Headers.ContentLength.ShouldBe(Size);
            await using var body = await download.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
        }

        await sampling.CancelAsync();
        await sampler;
        var growthMb = (peak - before) / (1024 * 1024);
        growthMb.ShouldBeLessThan(100, $"RSS grew from {before / (1024 * 1024)} MB to {peak / (1024 * 1024)} MB for a {Size / (1024 * 1024)} MB upload");
    }

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
