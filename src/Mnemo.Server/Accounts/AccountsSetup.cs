using Microsoft.AspNetCore.HttpOverrides;

namespace Mnemo.Server.Accounts;

public static class AccountsSetup
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration("Mnemo:Accounts");
        builder.Services.AddSingleton<KeyCache>();
        builder.Services.AddScoped<AccountStore>();
        builder.Services.AddScoped<Bootstrap>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<AccountsOptions>>((forwarded, accounts) =>
        {
            // X-Forwarded-For is believed only from the configured proxies; by default from nobody.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            if (!IpAllowList.TryParse(accounts.Value.TrustedProxies, out var proxies, out var invalid))
            {
                throw new InvalidOperationException($"Mnemo:Accounts:TrustedProxies: '{invalid}' is not an address or CIDR block.");
            }

            foreach (var network in proxies.Networks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) =>
        app.UseAdminToken().UseMiddleware<ApiKeyCheck>();
}
