using Mnemo.Server.Accounts;

namespace Mnemo.Server.Billing;

public static class CreditChecks
{
    /// <summary>
    /// Answers insufficient_credits before an upload's body is read or a byte stored, when the account
    /// cannot pay even the smallest indexing charge. The reservation in the accepting transaction is what
    /// guards the balance exactly; this only spares a doomed upload.
    /// </summary>
    public static TBuilder RequiresIndexingCredits<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Features.Get<Caller>() is { } caller)
            {
                var services = http.RequestServices;
                await services.GetRequiredService<Charges>().EnsureAffordableAsync(
                    caller, services.GetRequiredService<IndexingCharges>().Minimum, http.RequestAborted);
            }

            return await next(context);
        });
}
