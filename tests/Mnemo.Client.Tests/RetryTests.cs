using System.Diagnostics;
using Mnemo.Client;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Client.Tests;

/// <summary>Retries against a key with a fault profile: transient errors vanish, nothing is done twice.</summary>
public sealed class RetryTests : IClassFixture<RetryTests.Server>
{
    public sealed class Server : IDisposable
    {
        public MnemoServer Mnemo { get; } = new();

        public void Dispose() => Mnemo.Dispose();
    }

    private readonly MnemoServer server;

    public RetryTests(Server fixture) => server = fixture.Mnemo;

    [Fact]
    public async Task FiftyUploadsThroughInjectedFaultsMakeFiftyAssetsAndFiftyCharges()
    {
        var account = await server.CreateAccountAsync(credits: 100_000);
        await server.SetFaultsAsync(account.KeyId, 0.3, ["rate_limit_exceeded", "internal_error", "service_unavailable"], seed: 42);
        var log = new AttemptLog();
        using var client = new MnemoClient(SdkKit.Options(server, account.Key, log));
        var clock = Stopwatch.StartNew();

        var uploaded = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var path = SdkKit.TextFile($"note-{i}.txt", $"Note number {i} about retries.\n");
            uploaded.Add((await client.Files.UploadAsync(path, cancellationToken: ct)).Id);
        });
        var uploadTime = clock.Elapsed;

        uploaded.Distinct().Count().ShouldBe(50);
        var files = new List<MnemoFile>();
        await foreach (var file in client.Files.ListAsync(pageSize: 20))
        {
            files.Add(file);
        }

        files.Select(f => f.Id).OrderBy(id => id).ShouldBe(uploaded.OrderBy(id => id));
        var reserves = new List<UsageEntry>();
        await foreach (var entry in client.ListUsageEntriesAsync(pageSize: 30))
        {
            if (entry.Kind == "reserve")
            {
                reserves.Add(entry);
            }
        }

        reserves.Count.ShouldBe(50);
        reserves.Select(r => r.Reference).Distinct().Count().ShouldBe(50);

        var uploads = log.Attempts.Where(a => a.Method == "POST" && a.Path == "/api/v1/files").ToList();
        var injected = uploads.Count(a => a.InjectedFault is not null);
        injected.ShouldBeGreaterThan(5, "the profile should have failed a fair share of the uploads");
        uploads.Count(a => a.Status == 201).ShouldBe(50);
        uploads.Count.ShouldBe(50 + injected);
        // Every attempt of one logical upload carried that upload's one key; 50 keys in all.
        uploads.Select(a => a.IdempotencyKey).Distinct().Count().ShouldBe(50);
        Console.WriteLine($"50 uploads, {injected} injected faults, {uploadTime.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task RetryAfterIsHonouredAndALastRateLimitSurfacesWithIt()
    {
        var account = await server.CreateAccountAsync();
        await server.SetFaultsAsync(account.KeyId, 1.0, ["rate_limit_exceeded"]);
        var log = new AttemptLog();
        using var client = new MnemoClient(SdkKit.Options(server, account.Key, log, maxAttempts: 2));

        var clock = Stopwatch.StartNew();
        var e = await Should.ThrowAsync<RateLimitException>(() => client.GetMeAsync());
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950), "Retry-After: 1 is waited, not the 5 ms base delay");
        log.Attempts.Count.ShouldBe(2);
        e.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        e.ErrorName.ShouldBe("rate_limit_exceeded");
        e.RequestId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task ServerErrorsAreRetriedUpToMaxAttemptsWithOneIdempotencyKey()
    {
        var account = await server.CreateAccountAsync();
        await server.SetFaultsAsync(account.KeyId, 1.0, ["internal_error"]);
        var log = new AttemptLog();
        using var client = new MnemoClient(SdkKit.Options(server, account.Key, log, maxAttempts: 3));

        var e = await Should.ThrowAsync<ServerException>(() => client.SearchAsync("anything"));
        e.ErrorName.ShouldBe("internal_error");
        log.Attempts.Count.ShouldBe(3);
        log.Attempts.Select(a => a.IdempotencyKey).Distinct().ShouldHaveSingleItem().ShouldNotBeNull();
    }

    [Fact]
    public async Task OtherClientErrorsAreNeverRetried()
    {
        var account = await server.CreateAccountAsync();
        var log = new AttemptLog();
        using var client = new MnemoClient(SdkKit.Options(server, account.Key, log));

        await Should.ThrowAsync<NotFoundException>(() => client.Files.GetAsync(Guid.NewGuid()));
        await Should.ThrowAsync<MnemoApiException>(() => client.SearchAsync(new SearchRequest("x") { TopK = 500 }));
        log.Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public async Task AnUnreachableServerIsRetriedThenSurfacesAsATransportError()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var attempts = 0;
        using var handler = new CountingHandler(() => attempts++);
        using var client = new MnemoClient(new MnemoClientOptions(new Uri($"http://127.0.0.1:{port}"), "sk-mnemo-x")
        {
            MaxAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            HttpMessageHandler = handler,
        });

        await Should.ThrowAsync<HttpRequestException>(() => client.GetMeAsync());
        attempts.ShouldBe(3);
    }

    [Fact]
    public async Task AnAttemptThatTimesOutIsRetriedButTheCallersCancellationIsNot()
    {
        // A stalled network stands in front of a healthy server: the first attempt never answers.
        var account = await server.CreateAccountAsync();
        using (var warm = new MnemoClient(SdkKit.Options(server, account.Key)))
        {
            await warm.GetMeAsync(); // a cold first answer must not outlast the attempt timeout below
        }

        using var stall = new StallFirst();
        using var client = new MnemoClient(SdkKit.Options(server, account.Key, stall) with { RequestTimeout = TimeSpan.FromSeconds(2) });

        (await client.GetMeAsync()).EnvironmentSlug.ShouldBe("production");
        stall.Calls.ShouldBe(2);

        using var stalled = new StallFirst();
        using var client2 = new MnemoClient(SdkKit.Options(server, account.Key, stalled) with { RequestTimeout = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Should.ThrowAsync<OperationCanceledException>(() => client2.GetMeAsync(cancel.Token));
        stalled.Calls.ShouldBe(1);
    }

    private sealed class StallFirst() : DelegatingHandler(new SocketsHttpHandler())
    {
        public int Calls { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (++Calls == 1)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CountingHandler(Action onSend) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
