using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Hosting;

/// <summary>/healthz: the process is alive. /readyz: the database and the data directory answer.</summary>
public static class Health
{
    private const string Ready = "ready";

    public sealed record HealthAnswer(string Status);

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<StoreCheck>("store", tags: [Ready]);
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Answer("ok") })
            .WithMetadata(new AccessLog.Probe()).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Answer(Ready) })
            .WithMetadata(new AccessLog.Probe()).ExcludeFromDescription();
        return app;
    }

    /// <summary>Healthy: <c>{"status": …}</c>; otherwise the catalog's 503 in the caller's envelope, with Retry-After.</summary>
    private static Func<HttpContext, HealthReport, Task> Answer(string status) => (context, report) =>
        report.Status == HealthStatus.Healthy
            ? context.Response.WriteAsJsonAsync(new HealthAnswer(status), JsonSerializerOptions.Web)
            : ErrorWriter.WriteAsync(context, ApiError.Unavailable("Service unavailable: the store does not answer. Retry shortly."));

    private sealed class StoreCheck(MnemoDb db, DataDirectory data) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
                data.Probe();
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (StoreFailures.IsUnavailable(e))
            {
                return HealthCheckResult.Unhealthy("The store does not answer.", e);
            }
        }
    }
}
