using System.Net;
using Mnemo.Client;
using Mnemo.Client.Memories;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Client.Tests;

public sealed class ErrorMappingTests : IClassFixture<ErrorMappingTests.Server>
{
    public sealed class Server : IDisposable
    {
        public MnemoServer Mnemo { get; } = new();

        public void Dispose() => Mnemo.Dispose();
    }

    private readonly MnemoServer server;

    public ErrorMappingTests(Server fixture) => server = fixture.Mnemo;

    [Fact]
    public async Task AWrongKeyIsAnAuthenticationExceptionWithTheRequestId()
    {
        using var client = new MnemoClient(SdkKit.Options(server, "sk-mnemo-" + new string('x', 43)));

        var e = await Should.ThrowAsync<AuthenticationException>(() => client.Files.ListPageAsync());
        e.HttpStatus.ShouldBe(HttpStatusCode.Unauthorized);
        e.ErrorName.ShouldBe("invalid_api_key");
        e.RequestId.ShouldNotBeNull().ShouldStartWith("req_");
        e.RawBody.ShouldContain(e.RequestId);
        e.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task AnUnknownFileIsANotFoundException()
    {
        var account = await server.CreateAccountAsync();
        using var client = new MnemoClient(SdkKit.Options(server, account.Key));

        var e = await Should.ThrowAsync<NotFoundException>(() => client.Files.GetAsync(Guid.NewGuid()));
        e.HttpStatus.ShouldBe(HttpStatusCode.NotFound);
        e.ErrorName.ShouldBe("asset_not_found");
        e.RequestId.ShouldNotBeNullOrEmpty();
        await Should.ThrowAsync<NotFoundException>(() => client.Prompts.GetAsync("no-such-prompt"));
    }

    [Fact]
    public async Task TheMemoriesSurfacesFourHundredForAnUnknownAssetIsANotFoundExceptionToo()
    {
        var account = await server.CreateAccountAsync();
        using var client = new MemoriesClient(SdkKit.Options(server, account.Key));

        var e = await Should.ThrowAsync<NotFoundException>(() => client.GetMetadataAsync("re_999999"));
        e.HttpStatus.ShouldBe(HttpStatusCode.BadRequest);
        e.ErrorName.ShouldBe("asset_not_found");
        e.Message.ShouldBe("Asset not found");
        e.RequestId.ShouldNotBeNullOrEmpty();
        await Should.ThrowAsync<AuthenticationException>(async () =>
        {
            using var wrong = new MemoriesClient(SdkKit.Options(server, "sk-mnemo-wrong"));
            await wrong.GetMetadataAsync("re_1");
        });
    }

    [Fact]
    public async Task ARejectedValueIsAPlainApiExceptionWithItsCatalogName()
    {
        var account = await server.CreateAccountAsync();
        using var client = new MnemoClient(SdkKit.Options(server, account.Key));

        var e = await Should.ThrowAsync<MnemoApiException>(() => client.SearchAsync(new SearchRequest("x") { TopK = 51 }));
        e.GetType().ShouldBe(typeof(MnemoApiException));
        e.HttpStatus.ShouldBe(HttpStatusCode.UnprocessableEntity);
        e.ErrorName.ShouldBe("unprocessable");
        e.Message.ShouldContain("top_k");
    }

    [Fact]
    public async Task NoCreditsIsAnInsufficientCreditsException()
    {
        var account = await server.CreateAccountAsync(credits: 0);
        using var client = new MnemoClient(SdkKit.Options(server, account.Key));

        var e = await Should.ThrowAsync<InsufficientCreditsException>(() => client.SearchAsync("anything"));
        e.ErrorName.ShouldBe("insufficient_credits");
    }

    [Fact]
    public async Task ABodyThatIsNotTheContractsStillGivesAClearExceptionWithTheRawText()
    {
        // What a misconfigured reverse proxy in front of Mnemo answers: HTML, then an empty 503.
        const string html = "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
        using var proxy = new Proxy(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent(html, null, "text/html") });
        using var client = new MnemoClient(new MnemoClientOptions(new Uri("http://proxy.invalid"), "sk-mnemo-x")
        {
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.Zero,
            HttpMessageHandler = proxy,
        });

        var e = await Should.ThrowAsync<ServerException>(() => client.GetMeAsync());
        proxy.Calls.ShouldBe(2);
        e.ErrorName.ShouldBeNull();
        e.RawBody.ShouldBe(html);
        e.Message.ShouldContain("502");
        e.Message.ShouldContain("nginx");

        using var empty = new Proxy(new HttpResponseMessage(HttpStatusCode.Unauthorized));
        using var client2 = new MnemoClient(new MnemoClientOptions(new Uri("http://proxy.invalid"), "sk-mnemo-x") { HttpMessageHandler = empty });
        var e2 = await Should.ThrowAsync<AuthenticationException>(() => client2.GetMeAsync());
        e2.Message.ShouldContain("empty body");
    }

    /// <summary>Stands for a proxy in front of the server, not for Mnemo: it answers every request the same.</summary>
    private sealed class Proxy(HttpResponseMessage template) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            var body = await template.Content.ReadAsByteArrayAsync(cancellationToken);
            var response = new HttpResponseMessage(template.StatusCode) { RequestMessage = request, Content = new ByteArrayContent(body) };
            return response;
        }
    }
}
