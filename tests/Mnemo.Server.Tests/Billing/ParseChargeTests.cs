using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Tests.Processing;

namespace Mnemo.Server.Tests.Billing;

/// <summary>
/// A parse is charged for what it really processes (pages, minutes, text), not for what the file's size
/// suggested; work the balance cannot pay for is stopped with a cause, refunded, and never settled short.
/// </summary>
public sealed class ParseChargeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mnemo-paid-").FullName;
    // What is charged does not depend on OCR or speech; without them a re-parsed video is ready in seconds.
    private readonly MnemoServer server = new(new Dictionary<string, string?>
    {
        ["Mnemo:Understanding:Ocr"] = "false",
        ["Mnemo:Understanding:Speech"] = "false",
    });

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task ATenThousandPagePdfThatTheBalanceCannotPayFailsSayingSoAndCostsNothing()
    {
        var pdf = HostileFiles.ManyPagePdf(Path.Combine(dir, "flood.pdf"), pages: 10_000);
        new FileInfo(pdf).Length.ShouldBeLessThan(3_000_000); // the reservation from its size: a few dozen pages
        var account = await server.CreateAccountAsync(credits: 100);
        using var client = server.WithKey(account.Key);

        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, pdf)).ShouldHaveFailed();
        cause.ShouldContain("10000 document page(s)");
        cause.ShouldContain("30000 credits");
        (await client.BalanceAsync()).ShouldBe(100);
        var ledger = await LedgerAsync(client);
        ledger.ShouldNotContain(e => e.Str("kind") == "settle");
        ledger.ShouldContain(e => e.Str("kind") == "refund");
        ledger.ShouldNotContain(e => e.Str("reason").Contains("short"));
    }

    [Fact]
    public async Task AManyPagePdfIsChargedForEveryPageItHasWhateverItsSize()
    {
        var pdf = HostileFiles.ManyPagePdf(Path.Combine(dir, "two-hundred.pdf"), pages: 200); // 30 KB: reserved as one page
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        (await ParseOutcomes.UploadAndWaitAsync(client, pdf)).V1Status.ShouldBe("PARSE");
        (await client.BalanceAsync()).ShouldBe(1000 - (200 * 3));
        var ledger = await LedgerAsync(client);
        ledger.ShouldContain(e => e.Str("kind") == "extend" && e.GetProperty("amount").GetInt64() == -597);
        ledger.Single(e => e.Str("kind") == "settle").GetProperty("amount").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task ADocxIsChargedForItsTextNotItsZippedSize()
    {
        // 40 paragraphs of ~1900 characters: 76 000 characters are 26 pages of 3000; zipped, the file looks like one page.
        var docx = HostileFiles.TextDocx(Path.Combine(dir, "dense.docx"), paragraphs: 40);
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);

        (await ParseOutcomes.UploadAndWaitAsync(client, docx)).V1Status.ShouldBe("PARSE");
        (await client.BalanceAsync()).ShouldBe(1000 - (26 * 3));
    }

    [Fact]
    public async Task TextThatTheBalanceCannotPayForFailsAtTheEndOfTheParseInsteadOfSettlingShort()
    {
        var docx = HostileFiles.TextDocx(Path.Combine(dir, "dense.docx"), paragraphs: 40);
        var account = await server.CreateAccountAsync(credits: 20);
        using var client = server.WithKey(account.Key);

        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, docx)).ShouldHaveFailed();
        cause.ShouldContain("78 credits");
        (await client.BalanceAsync()).ShouldBe(20);
        (await LedgerAsync(client)).ShouldNotContain(e => e.Str("reason").Contains("short"));
    }

    [Fact]
    public async Task ALongVideoInASmallFileIsPaidForByItsLengthBeforeItIsWorkedOn()
    {
        // Ten minutes of a still 16x16 frame: a few KB, so reserved as one minute (10 credits); its length costs 100.
        var video = TestMedia.Make("ten-still-minutes.mp4", p => TestMedia.Ffmpeg(
            "-f", "lavfi", "-i", "color=black:size=16x16:rate=1:duration=600", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", p));
        var account = await server.CreateAccountAsync(credits: 50);
        using var client = server.WithKey(account.Key);

        var cause = (await ParseOutcomes.UploadAndWaitAsync(client, video)).ShouldHaveFailed();
        cause.ShouldContain("indexing 10 min of video (100 credits)");
        (await client.BalanceAsync()).ShouldBe(50);
        Uploads.StoredFiles(server.DataDir).Select(Path.GetFileName).ShouldBe(["original"]); // stopped before its thumbnails

        await server.TopUpAsync(account.Id, 100);
        var id = (await (await client.GetAsync("/api/v1/files")).BodyAsync()).GetProperty("items")[0].Str("id");
        (await client.PostAsync($"/api/v1/files/{id}/reparse", null)).EnsureSuccessStatusCode();
        await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}"), b => b.Str("status") == "ready");
        (await client.BalanceAsync()).ShouldBe(50);
    }

    private static async Task<List<JsonElement>> LedgerAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/v1/usage?limit=200")).BodyAsync()).GetProperty("entries").EnumerateArray()];
}
