using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Hosting;

public static class Health
{
    public sealed record HealthStatus(string Status);

    /// <summary>/healthz: the process is alive. /readyz: the database and the data directory answer.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).WithMetadata(new AccessLog.Probe()).ExcludeFromDescription();
        app.MapGet("/readyz", async Task<IResult> (MnemoDb db, DataDirectory data, CancellationToken ct) =>
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
                data.Probe();
            }
            catch (Exception e) when (StoreFailures.IsUnavailable(e))
            {
                return ApiError.Unavailable("Service unavailable: the store does not answer. Retry shortly.");
            }

            return TypedResults.Ok(new HealthStatus("ready"));
        }).WithMetadata(new AccessLog.Probe()).ExcludeFromDescription();
        return app;
    }
}
