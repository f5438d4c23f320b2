using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Billing;

/// <summary>Admin: POST /admin/accounts/{id}/credits, a top-up or a debit with its ledger row.</summary>
public static class CreditsAdminApi
{
    public sealed record CreditRequest(long? Amount, string? Reason);
    public sealed record BalanceView(long Balance);

    public static IEndpointRouteBuilder MapAdminCredits(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<AdminToken>().Enabled)
        {
            app.MapGroup(SurfacePaths.AdminPrefix).ForAdmin().RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ExcludeFromDescription()
                .MapPost("/accounts/{id:guid}/credits", AddCredits);
        }

        return app;
    }

    private static async Task<Results<Ok<BalanceView>, ApiError>> AddCredits(
        Guid id, CreditRequest request, MnemoDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (request.Amount is not { } amount)
        {
            return ApiError.InvalidRequest("amount is required.");
        }

        if (amount == 0)
        {
            return ApiError.Unprocessable("amount must not be zero.");
        }

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? (amount > 0 ? "top-up" : "debit") : request.Reason.Trim();
        var balance = await Credits.AdjustAsync(db, id, amount, reason, "admin", http.TraceIdentifier, time, ct);
        return TypedResults.Ok(new BalanceView(balance));
    }
}
