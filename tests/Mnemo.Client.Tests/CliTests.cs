using System.Diagnostics;
using System.Text.Json;
using Mnemo.Cli;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Client.Tests;

/// <summary>The mnemo CLI, in-process (its own writers and environment) and as a process in a pseudo-terminal.</summary>
public sealed class CliTests : IClassFixture<CliTests.Server>
{
    public sealed class Server : IDisposable
    {
        public MnemoServer Mnemo { get; } = new();

        public void Dispose() => Mnemo.Dispose();
    }

    private readonly MnemoServer server;
    private readonly string configHome = Path.Combine(Path.GetTempPath(), "mnemo-cli-tests", Guid.NewGuid().ToString("N"));

    public CliTests(Server fixture) => server = fixture.Mnemo;

    private sealed record Run(int ExitCode, string Out, string Err)
    {
        public JsonElement Json => JsonDocument.Parse(Out).RootElement.Clone();
    }

    private async Task<Run> MnemoAsync(IDictionary<string, string> environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new Dictionary<string, string>(environment) { ["XDG_CONFIG_HOME"] = configHome };
        var code = await MnemoCli.RunAsync(args, new CliContext(stdout, stderr, name => env.GetValueOrDefault(name), Interactive: false));
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    private async Task<Dictionary<string, string>> EnvironmentAsync()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        return new() { ["MNEMO_URL"] = server.BaseAddress.ToString(), ["MNEMO_API_KEY"] = account.Key };
    }

    [Fact]
    public async Task JsonOutputParsesForScripts()
    {
        var env = await EnvironmentAsync();
        var path = SdkKit.TextFile("cli.txt", "The CLI uploads plain text about herons.\n");

        var upload = await MnemoAsync(env, "upload", path, "--wait", "--json");
        upload.ExitCode.ShouldBe(0, upload.Err);
        var id = upload.Json.GetProperty("id").GetString()!;
        upload.Json.GetProperty("status").GetString().ShouldBe("ready");

        var list = await MnemoAsync(env, "ls", "--json");
        list.Json.EnumerateArray().Select(f => f.GetProperty("id").GetString()).ShouldBe([id]);
        (await MnemoAsync(env, "status", id, "--json")).Json.GetProperty("status").GetString().ShouldBe("ready");
        (await MnemoAsync(env, "get", id, "--json")).Json.GetProperty("original_filename").GetString().ShouldBe("cli.txt");

        var search = await MnemoAsync(env, "search", "herons", "--top-k", "3", "--json");
        search.Json.GetProperty("results").GetProperty("semantic")[0].GetProperty("file_id").GetString().ShouldBe(id);

        Directory.CreateDirectory(configHome);
        var target = Path.Combine(configHome, "copy.txt");
        var download = await MnemoAsync(env, "download", id, "-o", target, "--json");
        download.ExitCode.ShouldBe(0, download.Err);
        (await File.ReadAllTextAsync(target)).ShouldBe(await File.ReadAllTextAsync(path));

        (await MnemoAsync(env, "prompt", "create", "ask", "--body", "Answer from {{context}}", "--json")).Json.GetProperty("version_number").GetInt32().ShouldBe(1);
        (await MnemoAsync(env, "prompt", "versions", "ask", "--json")).Json.GetProperty("items").GetArrayLength().ShouldBe(1);
        (await MnemoAsync(env, "prompt", "live", "ask", "1", "--json")).ExitCode.ShouldBe(0);
        var rendered = await MnemoAsync(env, "prompt", "render", "ask", "--query", "herons", "--json");
        rendered.Json.GetProperty("prompt").GetString().ShouldNotBeNull().ShouldContain("herons");

        var usage = await MnemoAsync(env, "usage", "--json");
        usage.Json.GetProperty("entries").EnumerateArray().ShouldContain(e => e.GetProperty("kind").GetString() == "reserve");

        (await MnemoAsync(env, "rm", id, "--json")).Json.GetProperty("deleted").GetBoolean().ShouldBeTrue();
        var gone = await MnemoAsync(env, "get", id);
        gone.ExitCode.ShouldBe(ExitCodes.NotFound);
        gone.Err.ShouldContain("asset_not_found");
    }

    [Fact]
    public async Task AWrongKeyPrintsTheCatalogMessageAndRequestIdAndExitsTwo()
    {
        var env = new Dictionary<string, string> { ["MNEMO_URL"] = server.BaseAddress.ToString(), ["MNEMO_API_KEY"] = "sk-mnemo-" + new string('z', 43) };

        var run = await MnemoAsync(env, "ls");

        run.ExitCode.ShouldBe(ExitCodes.Auth);
        run.Out.ShouldBeEmpty();
        run.Err.ShouldContain("invalid_api_key, HTTP 401");
        run.Err.ShouldMatch(@"request id: req_[0-9a-f]+");
        run.Err.ShouldNotContain("   at "); // no stack trace
        var requestId = System.Text.RegularExpressions.Regex.Match(run.Err, @"req_[0-9a-f]+").Value;
        server.Logs.ShouldContain(l => l.RequestId == requestId, "the id on the user's screen finds the server's log lines");
    }

    [Fact]
    public async Task ExitCodesTellScriptsWhatWentWrong()
    {
        var env = await EnvironmentAsync();
        (await MnemoAsync(env, "status", Guid.NewGuid().ToString())).ExitCode.ShouldBe(ExitCodes.NotFound);
        (await MnemoAsync(env, "prompt", "get", "nothing-live")).ExitCode.ShouldBe(ExitCodes.NotFound);
        (await MnemoAsync(env, "status", "not-a-uuid")).ExitCode.ShouldBe(ExitCodes.Error);
        (await MnemoAsync(env, "no-such-command")).ExitCode.ShouldBe(ExitCodes.Error);

        var poor = await server.CreateAccountAsync(credits: 0);
        var broke = await MnemoAsync(new Dictionary<string, string>(env) { ["MNEMO_API_KEY"] = poor.Key }, "search", "x");
        broke.ExitCode.ShouldBe(ExitCodes.InsufficientCredits);

        var down = await MnemoAsync(new Dictionary<string, string>(env) { ["MNEMO_URL"] = "http://127.0.0.1:1" }, "ls");
        down.ExitCode.ShouldBe(ExitCodes.Server);
        down.Err.ShouldContain("cannot reach the server");
    }

    [Fact]
    public async Task ConfigIsKeptInTheUsersConfigDirReadableOnlyByThemAndTheEnvironmentOverridesIt()
    {
        var account = await server.CreateAccountAsync();
        var none = new Dictionary<string, string>();

        (await MnemoAsync(none, "config", "set", "--url", server.BaseAddress.ToString(), "--key", account.Key)).ExitCode.ShouldBe(0);

        var file = Path.Combine(configHome, "mnemo", "config.json");
        File.Exists(file).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        (await MnemoAsync(none, "whoami")).ExitCode.ShouldBe(0);

        var shown = (await MnemoAsync(none, "config", "show", "--json")).Json;
        shown.GetProperty("url_from").GetString().ShouldBe(file);
        shown.GetProperty("api_key").GetString().ShouldNotBe(account.Key); // masked
        var overridden = (await MnemoAsync(new Dictionary<string, string> { ["MNEMO_URL"] = "http://elsewhere:9" }, "config", "show", "--json")).Json;
        overridden.GetProperty("url").GetString().ShouldBe("http://elsewhere:9");
        overridden.GetProperty("url_from").GetString().ShouldBe("MNEMO_URL");
    }

    [Fact]
    public async Task InATerminalUploadShowsAProgressBarThenWaitsForTheVideo()
    {
        var env = await EnvironmentAsync();
        var cli = Path.Combine(AppContext.BaseDirectory, "Mnemo.Cli.dll");
        var video = TestMedia.Mp4WithSubtitles;
        var info = new ProcessStartInfo("script", ["-qfec", $"dotnet '{cli}' upload '{video}' --wait", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        info.Environment["XDG_CONFIG_HOME"] = configHome;
        info.Environment["TERM"] = "xterm-256color";
        info.Environment["COLUMNS"] = "120";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            await process.WaitForExitAsync(limit.Token);
        }

        var text = await output;

        process.ExitCode.ShouldBe(0, text + await errors);
        text.ShouldContain("━"); // the bar
        text.ShouldContain("100%");
        text.ShouldContain("\u001b["); // drawn with ANSI, as in a terminal
        text.ShouldContain("ready");

        var search = await MnemoAsync(env, "search", "subtitle track");
        search.ExitCode.ShouldBe(0, search.Err);
        search.Out.ShouldContain("video.mp4");
    }
}
