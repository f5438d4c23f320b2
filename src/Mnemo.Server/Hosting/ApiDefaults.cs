using System.Text.Json;
using System.Text.Json.Serialization;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Surfaces.Memic;
using Mnemo.Server.Surfaces.MemoriesV1;
using Mnemo.Server.Surfaces.MemoriesV2;

namespace Mnemo.Server.Hosting;

public static class ApiDefaults
{
    /// <summary>JSON in snake_case (all three contracts), request ids, catalog errors, body limits.</summary>
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CurrentRequest>();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.Converters.Add(new Surfaces.UtcDateTimeJsonConverter());
        });
        // Binding failures throw, so the exception handler answers them from the catalog with a detail.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<CatalogErrors>();
        // The wire formats the core renders without naming a surface: error envelopes, the v1 callback body.
        builder.Services.AddMemoriesV1().AddMemoriesV2().AddMemic();
        builder.Services.AddOptions<BodyLimitOptions>().BindConfiguration("Mnemo:BodyLimits");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        CurrentRequest.UseCurrentRequest(app);
        app.UseAccessLog();
        CatalogErrors.Use(app);
        app.UseTrustedProxies();
        app.UseRouting();
        app.UseBodyLimits();
        app.UseJsonCharset();
        return app;
    }
}
