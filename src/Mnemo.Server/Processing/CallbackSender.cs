using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

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
/// Delivers the callback outbox: rows written in the transaction that ended a parse, so no worker
/// waits on a user's server and no callback is lost in a crash (at-least-once delivery).
/// </summary>
public sealed partial class CallbackSender(
    IServiceScopeFactory scopes, IHttpClientFactory clients, TimeProvider time,
    IOptions<CallbackOptions> options, ILogger<CallbackSender> logger) : BackgroundService
{
    public const string SignatureHeader = "X-Mnemo-Signature";
    public const string ClientName = "callbacks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
                await Task.Delay(options.Value.PollMilliseconds, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                RoundFailed(logger, e);
                await Task.Delay(options.Value.PollMilliseconds * 4, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    private async Task SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Set<CallbackDelivery>()
            .Where(c => c.DeliveredAt == null && c.AbandonedAt == null && c.NextAttemptAt <= now)
            .OrderBy(c => c.Id).Take(20).ToListAsync(ct);
        foreach (var delivery in due)
        {
            var error = await SendAsync(delivery, ct);
            var after = time.GetUtcNow().UtcDateTime;
            delivery.Attempts++;
            delivery.LastError = error;
            if (error is null)
            {
                delivery.DeliveredAt = after;
            }
            else if (delivery.Attempts >= options.Value.MaxAttempts)
            {
                delivery.AbandonedAt = after;
                Abandoned(logger, delivery.Id, delivery.Url, delivery.Attempts, error);
            }
            else
            {
                var wait = Math.Min(3600, options.Value.BaseDelaySeconds * Math.Pow(2, delivery.Attempts - 1));
                delivery.NextAttemptAt = after.AddSeconds(wait * (0.8 + (Random.Shared.NextDouble() * 0.4)));
            }

            await db.SaveChangesAsync(ct);
        }
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

    [LoggerMessage(LogLevel.Warning, "Callback delivery round failed")]
    private static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Callback {Id} to {Url} abandoned after {Attempts} attempts: {Error}")]
    private static partial void Abandoned(ILogger logger, long id, string url, int attempts, string error);
}
