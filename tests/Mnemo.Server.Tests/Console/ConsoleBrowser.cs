using Microsoft.Playwright;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Console;

/// <summary>
/// Debian's chromium, headless, driven by Playwright: never a downloaded browser (none can be downloaded here).
/// Collects what the page logs as errors (a CSP violation, an uncaught exception) so a test can insist on none.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        this.playwright = playwright;
        this.browser = browser;
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("the server responded with a status of", StringComparison.Ordinal))
            {
                Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => Errors.Add(error);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // the console confirms deletes and revokes
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public static async Task<ConsoleBrowser> OpenAsync(MnemoServer server)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--autoplay-policy=no-user-gesture-required", "--mute-audio"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000); // the whole suite may run beside it
        return new ConsoleBrowser(playwright, browser, context, await context.NewPageAsync());
    }

    /// <summary>Where screenshots go: docs/console when MNEMO_SCREENSHOTS=1 (to refresh the docs), else a scratch folder.</summary>
    public static string ScreenshotDir(MnemoServer server) =>
        Environment.GetEnvironmentVariable("MNEMO_SCREENSHOTS") == "1"
            ? Path.Combine(RepoPaths.Root, "docs", "console")
            : Path.Combine(server.DataDir, "screenshots");

    /// <summary>A full-page screenshot, without the passing messages in the corner.</summary>
    public async Task ShootAsync(MnemoServer server, string name)
    {
        await Page.EvaluateAsync("() => document.getElementById('toasts').replaceChildren()");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir(server), name + ".png"), FullPage = true });
    }

    public async Task SignInAsync(string secret, bool admin = false)
    {
        await Page.GotoAsync("/console");
        if (admin)
        {
            await Page.GetByLabel("Admin token").CheckAsync();
        }

        await Page.GetByLabel("Key or token").FillAsync(secret);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
