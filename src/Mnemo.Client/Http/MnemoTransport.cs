using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Polly;
using Polly.Timeout;

namespace Mnemo.Client.Http;

/// <summary>How a surface takes the API key.</summary>
internal enum KeyHeader
{
    /// <summary>memic: <c>X-API-Key: key</c>.</summary>
    XApiKey,

    /// <summary>memories: <c>Authorization: key</c>.</summary>
    Authorization,
}

/// <summary>
/// Sends one logical call: builds a fresh request per attempt, retries through the pipeline, adds
/// the key and, on POST, one Idempotency-Key for every attempt; turns an error answer into an exception.
/// </summary>
internal sealed class MnemoTransport : IDisposable
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient http;
    private readonly KeyHeader keyHeader;
    private readonly ResiliencePipeline<HttpResponseMessage> calls;
    private readonly ResiliencePipeline<HttpResponseMessage> transfers;

    public MnemoTransport(MnemoClientOptions options, KeyHeader keyHeader)
    {
        options.Validate();
        Options = options;
        this.keyHeader = keyHeader;
        http = options.HttpMessageHandler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline times each attempt
        http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        calls = RetryPolicy.Build(options, options.RequestTimeout);
        transfers = RetryPolicy.Build(options, options.TransferTimeout);
    }

    public MnemoClientOptions Options { get; }

    /// <summary>A path under the base address (which may itself have a path, e.g. behind a proxy).</summary>
    public Uri Url(string pathAndQuery)
    {
        var root = Options.BaseAddress.AbsoluteUri;
        return new Uri(new Uri(root.EndsWith('/') ? root : root + "/"), pathAndQuery.TrimStart('/'));
    }

    /// <summary>Sends, retrying what is transient; returns a successful response (headers read) or throws.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, bool transfer, CancellationToken cancellationToken)
    {
        var idempotencyKey = Guid.NewGuid().ToString("N"); // once per logical call, the same on every retry
        var pipeline = transfer ? transfers : calls;
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                var request = create();
                if (request.RequestUri is { IsAbsoluteUri: false } relative)
                {
                    request.RequestUri = Url(relative.OriginalString);
                }

                if (request.Method == HttpMethod.Post)
                {
                    request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
                }

                request.Headers.TryAddWithoutValidation(keyHeader == KeyHeader.XApiKey ? "X-API-Key" : "Authorization", Options.ApiKey);
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new TimeoutException($"No answer within {e.Timeout.TotalSeconds:0.#} s, {Options.MaxAttempts} attempt(s).", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw ErrorMapper.Map(response, body);
        }
    }

    public async Task<T> SendJsonAsync<T>(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(create, transfer: false, cancellationToken);
        return await ReadJsonAsync<T>(response, cancellationToken);
    }

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody(body) }, cancellationToken);

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), transfer: false, cancellationToken);
    }

    public static HttpContent JsonBody(object? body) => JsonContent.Create(body ?? new { }, body?.GetType() ?? typeof(object), options: Json);

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException e)
        {
            throw new MnemoApiException(response.StatusCode, null,
                $"HTTP {(int)response.StatusCode} from {response.RequestMessage?.RequestUri} with a body that is not the expected {typeof(T).Name}: {e.Message}",
                response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null, text);
        }
    }

    /// <summary>A multipart/form-data request whose boundary is fixed per logical call, so every retry sends the same bytes.</summary>
    public static Func<HttpRequestMessage> Multipart(string path, UploadSource source, IProgress<long>? progress, IReadOnlyDictionary<string, string>? fields)
    {
        var boundary = "mnemo-" + Guid.NewGuid().ToString("N");
        return () =>
        {
            var form = new MultipartFormDataContent(boundary);
            foreach (var (name, value) in fields ?? new Dictionary<string, string>())
            {
                form.Add(new StringContent(value), name);
            }

            var file = new UploadContent(source, progress);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", source.FileName);
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        };
    }

    public void Dispose() => http.Dispose();
}
