using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;

namespace Mnemo.Server.Accounts;

public static class AccountsSetup
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration("Mnemo:Accounts");
        builder.Services.AddSingleton<KeyCache>();
        builder.Services.AddSingleton<AdminToken>();
        builder.Services.AddSingleton<KeyUses>();
        builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = ApiKeyAuthentication.Name;
            options.AddScheme<ApiKeyAuthentication>(ApiKeyAuthentication.Name, null);
        });
        builder.Services.AddAuthorization(ApiKeyAuthentication.AddPolicies);
        builder.Services.UseSingleSchemeServices();
        builder.Services.AddScoped<AccountStore>();
        builder.Services.AddScoped<Bootstrap>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<AccountsOptions>>((forwarded, accounts) =>
        {
            // X-Forwarded-For is believed only from the configured proxies; by default from nobody.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the loopback default and is still consulted
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
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

    /// <summary>
    /// X-Forwarded-For only when proxies are configured: with no known proxy the framework's middleware
    /// would believe every peer.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccountsOptions>>().Value.TrustedProxies.Count > 0
            ? app.UseForwardedHeaders()
            : app;

    /// <summary>The admin token on admin routes, an API key on the three surfaces (<see cref="ApiKeyAuthentication"/>).</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) =>
        app.UseAuthentication().UseAuthorization();
}
