using System.Diagnostics;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Processing;

/// <summary>
/// Decompression bombs and text floods: an Office file over the unpacked size, entry count or compression
/// ratio limit, or any document over the chunks-per-file limit, ends failed with a cause naming the limit,
/// indexes nothing and is refunded.
/// </summary>
public sealed class ContainerLimitTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mnemo-bombs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task ADocxBombFailsOnTheCompressionRatioLimitWithDefaultSettingsAndCostsNothing()
    {
        using var server = new MnemoServer();
        var bomb = HostileFiles.ZeroBombDocx(dir, 200L << 20); // 200 MB of text in a ~200 KB file
        new FileInfo(bomb).Length.ShouldBeLessThan(1 << 20);
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        var clock = Stopwatch.StartNew();
        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, bomb)).ShouldHaveFailed();
        cause.ShouldContain("word/document.xml");
        cause.ShouldContain("compression ratio limit of 100");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        (await client.BalanceAsync()).ShouldBe(1000);
    }

    [Fact]
    public async Task ABombThatUnderstatesItsUnpackedSizeUnpacksNoMoreThanItDeclares()
    {
        using var server = new MnemoServer();
        var bomb = HostileFiles.ZeroBombDocx(dir, 200L << 20);
        HostileFiles.DeclareUncompressedSize(bomb, "word/document.xml", 1000);
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        var clock = Stopwatch.StartNew();
        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, bomb)).ShouldHaveFailed();
        cause.ShouldStartWith("The Office file cannot be opened"); // its XML ends after the 1000 bytes it claims
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        (await client.BalanceAsync()).ShouldBe(1000);
    }

    [Fact]
    public async Task AnOfficeFileOverTheUnpackedSizeLimitFails()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Processing:MaxExpandedBytes"] = "1000000" });
        var docx = HostileFiles.TextDocx(Path.Combine(dir, "long.docx"), paragraphs: 1000); // ~1.9 MB of ordinary text
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, docx)).ShouldHaveFailed();
        cause.ShouldContain("unpacked size limit of 1000000 bytes");
        (await client.BalanceAsync()).ShouldBe(1000);
    }

    [Fact]
    public async Task AnOfficeFileWithTooManyEntriesFails()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Processing:MaxArchiveEntries"] = "20" });
        var docx = HostileFiles.TextDocx(Path.Combine(dir, "crowded.docx"), paragraphs: 1, extraEntries: 30);
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, docx)).ShouldHaveFailed();
        cause.ShouldContain("33 entries");
        cause.ShouldContain("limit of 20 entries");
    }

    [Theory]
    [InlineData("txt")]
    [InlineData("docx")]
    [InlineData("pdf")]
    public async Task ADocumentOverTheChunksPerFileLimitFails(string kind)
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Processing:MaxChunksPerAsset"] = "5" });
        var path = Path.Combine(dir, "eight." + kind);
        switch (kind)
        {
            case "txt":
                await File.WriteAllTextAsync(path, string.Join("\n\n", HostileFiles.Paragraphs(8)));
                break;
            case "docx":
                HostileFiles.TextDocx(path, paragraphs: 8);
                break;
            default:
                HostileFiles.ManyPagePdf(path, pages: 8);
                break;
        }

        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, path)).ShouldHaveFailed();
        cause.ShouldContain("limit of 5 chunks");
        (await client.BalanceAsync()).ShouldBe(1000);
    }

    [Fact]
    public async Task DocumentsWithinTheLimitsParseAsBefore()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Processing:MaxChunksPerAsset"] = "5" });
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        var docx = await ParseOutcomes.UploadAndWaitAsync(client, HostileFiles.TextDocx(Path.Combine(dir, "five.docx"), paragraphs: 5));
        docx.V1Status.ShouldBe("PARSE");
        docx.Chunks.ShouldBe(5);
        var pdf = await ParseOutcomes.UploadAndWaitAsync(client, HostileFiles.ManyPagePdf(Path.Combine(dir, "five.pdf"), pages: 5));
        pdf.V1Status.ShouldBe("PARSE");
        pdf.Chunks.ShouldBe(5);
    }

    [Fact]
    public async Task AnImageOverThePixelLimitFailsBeforeItIsDecoded()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Processing:MaxImagePixels"] = "50000" });
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, TestMedia.Png)).ShouldHaveFailed();
        cause.ShouldBe("The image is 320 x 240 pixels (76800), beyond the limit of 50000 pixels per image or video frame.");
        Uploads.StoredFiles(server.DataDir).Select(Path.GetFileName).ShouldBe(["original"]); // no thumbnail was decoded
    }
}
