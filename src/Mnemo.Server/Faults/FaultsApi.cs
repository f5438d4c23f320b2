using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Faults;

/// <summary>Admin: PUT, GET and DELETE /admin/keys/{id}/faults.</summary>
public static class FaultsApi
{
    public sealed record FaultRequest(double? Rate, string[]? Errors, int? Seed);
    public sealed record FaultView(Guid KeyId, double Rate, IReadOnlyList<string> Errors, int Seed, DateTime UpdatedAt)
    {
        public static FaultView Of(KeyFault f) => new(f.KeyId, f.Rate,
            f.Errors.Split(' ', StringSplitOptions.RemoveEmptyEntries), f.Seed, DateTime.SpecifyKind(f.UpdatedAt, DateTimeKind.Utc));
    }

    public static IEndpointRouteBuilder MapAdminFaults(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<AdminToken>().Enabled)
        {
            return app;
        }

        var admin = app.MapGroup(SurfacePaths.AdminPrefix).ForAdmin().RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ExcludeFromDescription();
        admin.MapPut("/keys/{id:guid}/faults", PutFaults);
        admin.MapGet("/keys/{id:guid}/faults", async Task<Results<Ok<FaultView>, ApiError>> (Guid id, MnemoDb db, CancellationToken ct) =>
            await db.KeyFaults.AsNoTracking().FirstOrDefaultAsync(f => f.KeyId == id, ct) is { } fault
                ? TypedResults.Ok(FaultView.Of(fault))
                : ApiError.NotFound("This API key has no fault profile."));
        admin.MapDelete("/keys/{id:guid}/faults", DeleteFaults);
        return app;
    }

    private static async Task<Results<Ok<FaultView>, ApiError>> PutFaults(
        Guid id, FaultRequest request, MnemoDb db, FaultInjector injector, TimeProvider time, CancellationToken ct)
    {
        if (request.Rate is not { } rate || request.Errors is null)
        {
            return ApiError.InvalidRequest("rate and errors are required.");
        }

        if (!(rate is >= 0 and <= 1))
        {
            return ApiError.Unprocessable("rate must be between 0 and 1.");
        }

        if (request.Errors.Length == 0)
        {
            return ApiError.Unprocessable("errors must name at least one catalog error.");
        }

        if (request.Errors.FirstOrDefault(name => ErrorCatalog.Find(name ?? "") is null) is { } unknown)
        {
            return ApiError.Unprocessable($"errors: '{unknown}' is not a catalog error name (see GET /api/v1/errors).");
        }

        if (!await db.ApiKeys.AnyAsync(k => k.Id == id, ct))
        {
            return ApiError.NotFound("API key not found.");
        }

        var fault = await db.KeyFaults.FirstOrDefaultAsync(f => f.KeyId == id, ct);
        if (fault is null)
        {
            fault = new KeyFault { KeyId = id, Errors = "" };
            db.KeyFaults.Add(fault);
        }

        fault.Rate = rate;
        fault.Errors = string.Join(' ', request.Errors.Distinct());
        fault.Seed = request.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        fault.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        injector.Forget(id);
        return TypedResults.Ok(FaultView.Of(fault));
    }

    private static async Task<Results<NoContent, ApiError>> DeleteFaults(Guid id, MnemoDb db, FaultInjector injector, CancellationToken ct)
    {
        var deleted = await db.KeyFaults.Where(f => f.KeyId == id).ExecuteDeleteAsync(ct);
        injector.Forget(id);
        return deleted == 0 ? ApiError.NotFound("This API key has no fault profile.") : TypedResults.NoContent();
    }
}

public static class FaultsSetup
{
    public static WebApplicationBuilder AddFaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FaultInjector>();
        return builder;
    }

    public static IApplicationBuilder UseFaults(this IApplicationBuilder app) => app.UseMiddleware<FaultInjectionMiddleware>();
}
