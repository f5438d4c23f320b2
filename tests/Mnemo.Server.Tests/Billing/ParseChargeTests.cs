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
    private readonly MnemoServer server = new();

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

    private static async Task<List<JsonElement>> LedgerAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/v1/usage?limit=200")).BodyAsync()).GetProperty("entries").EnumerateArray()];
}
