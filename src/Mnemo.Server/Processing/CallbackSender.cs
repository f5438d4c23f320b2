using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;
using Mnemo.Server.Work;

namespace Mnemo.Server.Processing;

/// <summary>Callbacks (section Mnemo:Callbacks).</summary>
public sealed class CallbackOptions
{
    /// <summary>HMAC-SHA256 key: each callback carries <c>X-Mnemo-Signature: sha256=&lt;hex of HMAC(body)&gt;</c>.</summary>
    public string Secret { get; set; } = "";

    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry after this; each next one waits twice as long (capped at an hour).</summary>
    public double BaseDelaySeconds { get; set; } = 2;

    public int TimeoutSeconds { get; set; } = 10;

    public int PollMilliseconds { get; set; } = 500;
}

/// <summary>
/// Delivers the callback outbox as leased work: rows written in the transaction that ended a parse, so no
/// worker waits on a user's server and no callback is lost in a crash (at-least-once delivery). A failed
/// send is retried with doubling, jittered delays until <see cref="CallbackOptions.MaxAttempts"/>, then abandoned.
/// </summary>
public sealed class CallbackSender(
    MnemoDb db, LeaseTable<CallbackDelivery> table, IHttpClientFactory clients, TimeProvider time,
    IOptions<CallbackOptions> options) : IWork<CallbackDelivery>
{
    public const string SignatureHeader = "X-Mnemo-Signature";
    public const string ClientName = "callbacks";

    /// <summary>A send outlives no lease: the timeout is well inside it.</summary>
    public static double LeaseSeconds(CallbackOptions options) => (options.TimeoutSeconds * 3) + 10;

    public static WorkPolicy Policy(CallbackOptions options) =>
        new("callback", 2, TimeSpan.FromMilliseconds(options.PollMilliseconds), options.MaxAttempts, lease =>
            TimeSpan.FromSeconds(Math.Min(3600, options.BaseDelaySeconds * Math.Pow(2, lease.Attempts - 1)) * (0.8 + (Random.Shared.NextDouble() * 0.4))));

    public async Task RunAsync(Lease lease, CancellationToken ct)
    {
        var delivery = await table.HeldBy(db, lease).AsNoTracking().FirstOrDefaultAsync(ct);
        if (delivery is null)
        {
            return;
        }

        var error = await SendAsync(delivery, ct);
        if (error is not null)
        {
            throw new CallbackFailedException(error);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await table.EndAsync(db, lease, s => s.SetProperty(c => c.DeliveredAt, now).SetProperty(c => c.LastError, (string?)null), ct);
    }

    public Task PutBackAsync(Lease lease, CancellationToken ct) => Task.CompletedTask;

    public async Task GiveUpAsync(Lease lease, Exception failure, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await table.EndAsync(db, lease, s => s.SetProperty(c => c.AbandonedAt, now).SetProperty(c => c.LastError, failure.Message), ct);
    }

    private async Task<string?> SendAsync(CallbackDelivery delivery, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(delivery.Body, options.Value.Secret));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return e is OperationCanceledException ? "timed out" : e.Message;
        }
    }

    public static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}

/// <summary>A callback the user's server did not take; its message is what the outbox records.</summary>
public sealed class CallbackFailedException(string error) : Exception(error);
