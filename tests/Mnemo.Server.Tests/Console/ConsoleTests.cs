using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Tests.Understanding;

namespace Mnemo.Server.Tests.Console;

/// <summary>
/// The web console in a real browser (Debian's chromium, headless) against a real server: what a new user does,
/// from signing in to landing on a spoken moment in the player. Each page is photographed (docs/console.md).
/// </summary>
public sealed class ConsoleTests
{
    private const string Phrase = "train station";

    [ChromiumFact]
    public async Task ASignedInUserUploadsByDropSearchesASpokenPhraseAndLandsOnThatMomentRendersAPromptAndRevokesAKey()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 100_000, name: "acme");
        await using var browser = await ConsoleBrowser.OpenAsync(server);
        var page = browser.Page;

        await page.GotoAsync("/console");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await browser.ShootAsync(server, "signin");
        await browser.SignInAsync(account.Key);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Assets" })).ToBeVisibleAsync();
        (await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mnemo.console.credential')"))!.ShouldContain(account.Key);
        (await page.EvaluateAsync<int>("() => localStorage.length")).ShouldBe(0);

        // Upload by drag and drop: a video whose speech says the phrase from 2 s on.
        await DropAsync(page, SpokenAndShownMedia.SpeechVideo, "meeting.mp4", "video/mp4");
        await Assertions.Expect(page.Locator(".uploads")).ToContainTextAsync("uploaded");
        var row = page.Locator("#assets tbody tr", new() { HasText = "meeting.mp4" });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-status=ready]")).ToBeVisibleAsync(new() { Timeout = 120_000 }); // the list updates itself
        await Assertions.Expect(row.Locator("img.thumb")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        await browser.ShootAsync(server, "assets");
        await page.SetViewportSizeAsync(390, 844); // a phone: the table scrolls sideways, nothing is cut off
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue();
        await browser.ShootAsync(server, "assets-phone");
        await page.SetViewportSizeAsync(1280, 900);

        // Search the spoken phrase; the hit opens the player at its moment.
        await page.GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        await page.GetByLabel("Query").FillAsync(Phrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var hit = page.Locator("#hits li", new() { HasText = "station" }).First;
        await Assertions.Expect(hit).ToBeVisibleAsync();
        await Assertions.Expect(hit.Locator("mark").First).ToBeVisibleAsync();
        (await page.Locator("#curl").TextContentAsync())!.ShouldContain("/api/v1/search");
        await browser.ShootAsync(server, "search");
        var href = await hit.Locator("a.hit-link").GetAttributeAsync("href");
        href.ShouldNotBeNull().ShouldContain("?t=");
        var moment = double.Parse(href[(href.IndexOf("?t=", StringComparison.Ordinal) + 3)..], CultureInfo.InvariantCulture);
        moment.ShouldBeInRange(1.0, 4.5); // the sentence starts at 2 s
        await hit.Locator("a.hit-link").ClickAsync();
        await page.WaitForFunctionAsync("t => { const v = document.querySelector('#media'); return v && v.readyState >= 1 && Math.abs(v.currentTime - t) < 0.35; }",
            moment, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("station");

        // A click on a transcript line seeks there too.
        var line = page.Locator("#transcript button").First;
        var lineStart = double.Parse((await line.GetAttributeAsync("data-start"))!, CultureInfo.InvariantCulture);
        await page.EvaluateAsync("() => { const v = document.querySelector('#media'); v.pause(); v.currentTime = 5.5; }");
        await line.ClickAsync();
        await page.WaitForFunctionAsync("t => Math.abs(document.querySelector('#media').currentTime - t) < 0.5", lineStart);
        await page.EvaluateAsync("() => document.querySelector('#media').pause()");
        await browser.ShootAsync(server, "detail");

        // Prompts: two versions, their diff, and a render with retrieval.
        await page.GetByRole(AriaRole.Link, new() { Name = "Prompts" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("meeting-answer");
        await page.GetByLabel("Body").FillAsync("Context:\n{{context}}\n\nQuestion: {{question}}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();
        await Assertions.Expect(page.Locator("#versions")).ToContainTextAsync("v1");
        await page.GetByLabel("Body").FillAsync("Answer from the context only.\nContext:\n{{context}}\n\nQuestion: {{question}}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();
        await Assertions.Expect(page.Locator("#versions")).ToContainTextAsync("v2");
        await Assertions.Expect(page.Locator("#diff .add")).ToContainTextAsync("Answer from the context only.");
        await page.GetByLabel("Variables (one name=value per line)").FillAsync("question=Where do we meet?");
        await page.GetByLabel("Retrieval query (fills {{context}})").FillAsync(Phrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Render" }).ClickAsync();
        await Assertions.Expect(page.Locator("#rendered-text")).ToContainTextAsync("Where do we meet?");
        await Assertions.Expect(page.Locator("#rendered-text")).ToContainTextAsync("station");
        await browser.ShootAsync(server, "prompts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set version 2 live" }).ClickAsync();
        await Assertions.Expect(page.Locator("#versions tr", new() { HasText = "Answer from" })).ToContainTextAsync("live");

        // Usage: balance, the chart of the days, the ledger of what this session paid.
        await page.GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await Assertions.Expect(page.Locator("#balance")).ToBeVisibleAsync();
        (await page.Locator("svg.chart rect").CountAsync()).ShouldBe(28);
        await Assertions.Expect(page.Locator("#ledger tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#budgets")).ToContainTextAsync("/api/v1/search");
        await browser.ShootAsync(server, "usage");

        // Keys: a new one (its secret shown once), then revoked; the server refuses it at once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Keys" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = (await page.Locator("#secret-value").TextContentAsync())!.Trim();
        secret.ShouldStartWith("sk-mnemo-");
        using (var fresh = server.WithKey(secret))
        {
            (await fresh.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await page.ReloadAsync();
        var newRow = page.Locator("#keys tbody tr", new() { Has = page.Locator($"code:text-is('{secret[..17]}…')") });
        await Assertions.Expect(newRow).ToContainTextAsync("active");
        await browser.ShootAsync(server, "keys");
        await newRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(newRow).ToContainTextAsync("revoked");
        using (var revoked = server.WithKey(secret))
        {
            (await revoked.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // Re-parse, then delete: the list follows.
        await page.GetByRole(AriaRole.Link, new() { Name = "Assets" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-parse meeting.mp4" }).ClickAsync();
        await Assertions.Expect(page.Locator("#toasts")).ToContainTextAsync("Parsing meeting.mp4 again.");
        await Assertions.Expect(row.Locator("[data-status=ready]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete meeting.mp4" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#assets caption")).ToHaveTextAsync("0 files");

        browser.Errors.ShouldBeEmpty();
    }

    [ChromiumFact]
    public async Task TheOperatorSeesAccountsKeysAndCreditsWithTheAdminToken()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 2_500, name: "acme");
        await using var browser = await ConsoleBrowser.OpenAsync(server);
        var page = browser.Page;

        await browser.SignInAsync(MnemoServer.AdminToken, admin: true);
        await page.GetByRole(AriaRole.Link, new() { Name = "acme", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#admin-keys tbody tr")).ToHaveCountAsync(1);
        await page.GetByLabel("Amount (negative debits)").FillAsync("500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page.Locator("#account-detail h2")).ToContainTextAsync("3,000 credits");
        await page.GetByRole(AriaRole.Button, new() { Name = "Faults" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#toasts")).ToContainTextAsync("saved");
        await browser.ShootAsync(server, "admin");
        account.Id.ShouldNotBe(Guid.Empty);
        browser.Errors.ShouldBeEmpty();
    }

    [ChromiumFact]
    public async Task FilesChosenWithThePickerShowTheirPictureOrTheirText()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync(credits: 10_000);
        await using var browser = await ConsoleBrowser.OpenAsync(server);
        var page = browser.Page;
        var notes = Path.Combine(server.DataDir, "notes.txt");
        await File.WriteAllTextAsync(notes, "The quarterly revenue grew by twelve percent.");

        await browser.SignInAsync(account.Key);
        await page.Locator("#file-input").SetInputFilesAsync([TestMedia.Png, notes]);
        foreach (var name in new[] { "image.png", "notes.txt" })
        {
            await Assertions.Expect(page.Locator("#assets tbody tr", new() { HasText = name }).Locator("[data-status=ready]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "image.png" }).ClickAsync();
        await Assertions.Expect(page.Locator("#player img.frame")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "notes.txt" }).ClickAsync();
        await Assertions.Expect(page.Locator("#text")).ToContainTextAsync("quarterly revenue");
        browser.Errors.ShouldBeEmpty();
    }

    [ChromiumVisionFact]
    public async Task APersonSeenInAPhotoIsListedRenamedAndFoundByAFaceAndAnAlteredPictureFindsItsOriginalFirst()
    {
        using var server = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Understanding:Vision"] = "true",
            ["Mnemo:Understanding:ImageFeatures:Enabled"] = "true",
        });
        var account = await server.CreateAccountAsync(credits: 100_000, name: "acme");
        using (var client = server.WithKey(account.Key))
        {
            foreach (var photo in new[] { "person", "giraffe" })
            {
                var id = (await (await client.PostFileAsync("/api/v1/files", SeenMedia.Photo(photo))).BodyAsync()).GetProperty("id").GetGuid();
                var file = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}"),
                    f => f.Str("status") == "ready" || f.Str("status").EndsWith("_failed", StringComparison.Ordinal), seconds: 120);
                file.Str("status").ShouldBe("ready");
            }
        }

        await using var browser = await ConsoleBrowser.OpenAsync(server);
        var page = browser.Page;
        await browser.SignInAsync(account.Key);

        // People: the woman of person.jpg is person_1, with her face as a thumbnail fetched with the key.
        await page.GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        var card = page.Locator("#people li[data-id=person_1]");
        await Assertions.Expect(card).ToContainTextAsync("1 moment");
        await Assertions.Expect(card.Locator("img.face")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));

        // A photo of her face (cut out of person.jpg) finds her moment.
        await page.Locator("#face-drop-input").SetInputFilesAsync(SeenMedia.PersonReference);
        var faceHit = page.Locator("#face-hits li").First;
        await Assertions.Expect(faceHit).ToContainTextAsync("person_1");
        await Assertions.Expect(faceHit.Locator("a.hit-link")).ToContainTextAsync("person.jpg");
        await browser.ShootAsync(server, "people");

        // Renamed by keyboard: the name field, Enter.
        await card.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "person_1", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync("Alice");
        await page.GetByLabel("Name").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alice", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#moments")).ToContainTextAsync("person.jpg");
        await browser.ShootAsync(server, "person");

        // Her moment opens the photo, which lists her among the people seen; the People page shows her name.
        await page.Locator("#moments a.moment").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "person.jpg" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#asset-people")).ToContainTextAsync("Alice");
        await page.GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync("Alice");

        // Search with a picture: the giraffe cropped, shrunk and re-encoded finds giraffe.jpg first.
        await page.GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        await page.Locator("#image-drop-input").SetInputFilesAsync(AlteredGiraffe);
        await Assertions.Expect(page.Locator("#hits li").First.Locator("a.hit-link")).ToContainTextAsync("giraffe.jpg");
        (await page.Locator("#curl").TextContentAsync())!.ShouldContain("/api/v1/search/image");
        await browser.ShootAsync(server, "search-image");
        browser.Errors.ShouldBeEmpty();
    }

    /// <summary>darknet's giraffe cropped to its central 80 %, shrunk to 60 % and re-encoded at low JPEG quality.</summary>
    private static string AlteredGiraffe => TestMedia.Make("console-query-giraffe.jpg", p => TestMedia.Ffmpeg(
        "-i", SeenMedia.Photo("giraffe"), "-vf", "crop=iw*0.8:ih*0.8,scale=iw*0.6:-2", "-q:v", "20", p));

    [Fact]
    public async Task TheConsoleIsServedWithoutAKeyFromTheServerItselfAndNamesNoOtherOrigin()
    {
        using var server = new MnemoServer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        var redirect = await client.GetAsync("/console");
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.ToString().ShouldBe("/console/");
        var index = await client.GetAsync("/console/");
        index.StatusCode.ShouldBe(HttpStatusCode.OK);
        index.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        index.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'self'");
        foreach (var file in new[] { "app.js", "api.js", "ui.js", "assets.js", "detail.js", "search.js", "people.js", "prompts.js", "usage.js", "keys.js", "admin.js", "style.css", "" })
        {
            var text = (await client.GetStringAsync("/console/" + file)).Replace("'http://www.w3.org/2000/svg'", "", StringComparison.Ordinal); // a namespace, not a fetch
            text.ShouldNotContain("http://", customMessage: file);
            text.ShouldNotContain("https://", customMessage: file);
        }

        (await client.GetAsync("/console/no-such-file.js")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/console/../appsettings.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>Drops a file on the drop zone the way a browser does: a DataTransfer holding a File.</summary>
    private static Task<System.Text.Json.JsonElement?> DropAsync(IPage page, string path, string name, string mime) => page.EvaluateAsync(
        """
        ([name, b64, mime]) => {
          const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
          const data = new DataTransfer();
          data.items.add(new File([bytes], name, { type: mime }));
          const drop = document.getElementById('drop');
          drop.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
          drop.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        }
        """,
        new object[] { name, Convert.ToBase64String(File.ReadAllBytes(path)), mime });
}
