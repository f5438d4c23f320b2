using Mnemo.Server.Accounts;

namespace Mnemo.Server.Billing;

public static class BillingSetup
{
    public static WebApplicationBuilder AddBilling(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PriceOptions>().BindConfiguration("Mnemo:Prices");
        builder.Services.AddSingleton<Prices>();
        builder.Services.AddScoped<Charges>();
        builder.Services.AddScoped<IndexingCharges>();
        builder.Services.AddScoped<SearchCharge>();
        builder.Services.AddScoped<StorageCharges>();
        builder.Services.AddSingleton<StartingCredits>(services => (db, accountId, credits, actor, requestId, ct) =>
            Credits.AdjustAsync(db, accountId, credits, "starting balance", actor, requestId, services.GetRequiredService<TimeProvider>(), ct));
        builder.Services.AddOptions<BillingOptions>().BindConfiguration("Mnemo:Billing");
        return builder;
    }
}
