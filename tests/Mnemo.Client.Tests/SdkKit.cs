using System.Collections.Concurrent;
using Mnemo.Client;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Client.Tests;

/// <summary>Client options for tests: tiny backoff so retries cost milliseconds (Retry-After is still honoured).</summary>
internal static class SdkKit
{
    public static MnemoClientOptions Options(MnemoServer server, string key, HttpMessageHandler? handler = null, int maxAttempts = 8) =>
        new(server.BaseAddress, key)
        {
            MaxAttempts = maxAttempts,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            HttpMessageHandler = handler,
        };

    /// <summary>A text file with its own content, in the test's temp folder.</summary>
    public static string TextFile(string name, string text)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mnemo-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}

/// <summary>Records every attempt that goes on the wire: method, path, Idempotency-Key, status.</summary>
internal sealed class AttemptLog() : DelegatingHandler(new SocketsHttpHandler())
{
    public sealed record Attempt(string Method, string Path, string? IdempotencyKey, int Status, string? InjectedFault);

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Attempts.Enqueue(new Attempt(
            request.Method.Method, request.RequestUri!.AbsolutePath,
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
            (int)response.StatusCode,
            response.Headers.TryGetValues("Mnemo-Injected-Fault", out var faults) ? faults.Single() : null));
        return response;
    }
}
