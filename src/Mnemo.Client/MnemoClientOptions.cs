namespace Mnemo.Client;

/// <summary>
/// Everything a client needs, fixed when the client is built (a record: derive a changed copy with
/// <c>with</c>, never mutate a client's options).
/// </summary>
public sealed record MnemoClientOptions
{
    /// <summary>Options for one server and key; everything else keeps its default.</summary>
    /// <param name="baseAddress">The server's absolute URL (see <see cref="BaseAddress"/>).</param>
    /// <param name="apiKey">The API key (see <see cref="ApiKey"/>).</param>
    public MnemoClientOptions(Uri baseAddress, string apiKey)
    {
        BaseAddress = baseAddress;
        ApiKey = apiKey;
    }

    /// <summary>The server, e.g. <c>http://127.0.0.1:8080</c>; paths are appended to it.</summary>
    public Uri BaseAddress { get; init; }

    /// <summary>The API key, sent with every call (as <c>X-API-Key</c> by <see cref="MnemoClient"/>, as <c>Authorization</c> by the memories client); not blank.</summary>
    public string ApiKey { get; init; }

    /// <summary>Tries per logical call, the first included; 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry waits a random time up to this; each next one up to twice as long (full jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>No computed backoff waits longer than this.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest <c>Retry-After</c> honoured; a server asking for more fails the call instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt of an ordinary call (until the response headers arrive).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>One attempt of an upload or download body.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Replaces the network stack (tests, proxies); the client does not dispose it.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>The <c>User-Agent</c> header; by default <c>mnemo-dotnet/</c> and the SDK's version.</summary>
    public string UserAgent { get; init; } = "mnemo-dotnet/" + typeof(MnemoClientOptions).Assembly.GetName().Version?.ToString(3);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress);
        if (!BaseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("BaseAddress must be an absolute URL.", nameof(BaseAddress));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(ApiKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(RetryBaseDelay.Ticks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TransferTimeout, TimeSpan.Zero);
    }
}
