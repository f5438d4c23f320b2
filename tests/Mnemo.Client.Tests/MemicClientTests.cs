using Mnemo.Client;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Client.Tests;

/// <summary>The memic client end to end: upload with progress, wait, search, download, prompts, delete.</summary>
public sealed class MemicClientTests : IClassFixture<MemicClientTests.Server>
{
    public sealed class Server : IDisposable
    {
        public MnemoServer Mnemo { get; } = new();

        public void Dispose() => Mnemo.Dispose();
    }

    private readonly MnemoServer server;

    public MemicClientTests(Server fixture) => server = fixture.Mnemo;

    [Fact]
    public async Task AVideoUploadedFromANonSeekableStreamIsParsedSearchedDownloadedAndDeleted()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var client = new MnemoClient(SdkKit.Options(server, account.Key));
        var bytes = await File.ReadAllBytesAsync(TestMedia.Mp4WithSubtitles);
        var reports = new List<long>();

        await using var pipe = new NonSeekable(bytes);
        var file = await client.Files.UploadAsync(pipe, "talk.mp4", new UploadFileOptions { ReferenceId = "ref-1" }, new Recorder(reports));
        file.Status.ShouldBe(FileStatus.Uploaded);
        file.ReferenceId.ShouldBe("ref-1");
        reports.ShouldNotBeEmpty();
        reports[^1].ShouldBe(bytes.Length);

        var ready = await client.Files.WaitUntilReadyAsync(file.Id, TimeSpan.FromSeconds(60));
        ready.Status.ShouldBe(FileStatus.Ready);
        ready.Extracted.ShouldNotBeNull().Width.ShouldBe(320);

        var found = await client.SearchAsync("subtitle track", topK: 5);
        found.Results.Semantic.ShouldContain(h => h.FileId == file.Id && h.StartTime != null);

        using var copy = new MemoryStream();
        var name = await client.Files.DownloadAsync(file.Id, copy);
        name.ShouldBe("talk.mp4");
        copy.ToArray().ShouldBe(bytes);

        (await client.Files.GetContentAsync(file.Id)).Content.ShouldContain("Hello from the subtitle track");

        await client.Files.DeleteAsync(file.Id);
        await Should.ThrowAsync<NotFoundException>(() => client.Files.GetAsync(file.Id));
    }

    [Fact]
    public async Task TheThreeStepUploadEndsWithOneFile()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var client = new MnemoClient(SdkKit.Options(server, account.Key));
        var path = SdkKit.TextFile("three.txt", "Three steps: init, put, confirm.\n");

        var init = await client.Files.InitUploadAsync("three.txt", new FileInfo(path).Length, "text/plain");
        await client.Files.PutUploadAsync(init, path);
        var confirmed = await client.Files.ConfirmAsync(init.FileId);

        confirmed.Id.ShouldBe(init.FileId);
        (await client.Files.WaitUntilReadyAsync(init.FileId, TimeSpan.FromSeconds(30))).Status.ShouldBe(FileStatus.Ready);
    }

    [Fact]
    public async Task ListingFollowsThePagesAndWaitingGivesUpAtItsTimeout()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var client = new MnemoClient(SdkKit.Options(server, account.Key));
        for (var i = 0; i < 5; i++)
        {
            await client.Files.UploadAsync(SdkKit.TextFile($"n{i}.txt", $"note {i}\n"));
        }

        var all = new List<MnemoFile>();
        await foreach (var f in client.Files.ListAsync(pageSize: 2))
        {
            all.Add(f);
        }

        all.Select(f => f.Name).ShouldBe(["n4.txt", "n3.txt", "n2.txt", "n1.txt", "n0.txt"]);

        var init = await client.Files.InitUploadAsync("never.txt", 10, "text/plain"); // never uploaded: stays pending
        await Should.ThrowAsync<TimeoutException>(() => client.Files.WaitUntilReadyAsync(init.FileId, TimeSpan.FromMilliseconds(600)));
    }

    [Fact]
    public async Task PromptsAreCreatedVersionedSwitchedAndRendered()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var client = new MnemoClient(SdkKit.Options(server, account.Key));

        var v1 = await client.Prompts.CreateAsync("greet", "Hello {{who}}!");
        v1.VersionNumber.ShouldBe(1);
        v1.Variables.ShouldBe(["who"]);
        var v2 = await client.Prompts.CreateAsync("greet", "Hi {{who}}.");
        v2.VersionNumber.ShouldBe(2);

        var live = await client.Prompts.SetLiveAsync("greet", 1);
        live.VersionNumber.ShouldBe(1);
        (await client.Prompts.GetAsync("greet")).Body.ShouldBe("Hello {{who}}!");
        (await client.Prompts.GetVersionsAsync("greet")).Items.Count.ShouldBe(2);
        (await client.Prompts.ListAsync()).Items.ShouldContain(p => p.Name == "greet");

        var rendered = await client.Prompts.RenderAsync("greet", new Dictionary<string, string> { ["who"] = "Ada" });
        rendered.Prompt.ShouldBe("Hello Ada!");

        var usage = await client.GetUsageAsync(limit: 5);
        usage.Balance.ShouldBe(10_000);
        (await client.GetMeAsync()).EnvironmentSlug.ShouldBe("production");
    }

    private sealed class Recorder(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }

    /// <summary>A stream that cannot seek (a pipe, a network body): the SDK must still be able to resend it.</summary>
    private sealed class NonSeekable(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
