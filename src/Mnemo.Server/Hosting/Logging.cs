using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Hosting;

public static class Logging
{
    /// <summary><c>Mnemo:LogFormat</c>: <c>auto</c> (the default), <c>json</c> or <c>text</c>.</summary>
    public const string FormatKey = "Mnemo:LogFormat";

    /// <summary>
    /// JSON lines on the console, with scopes, so each line carries its request's RequestId: what a log
    /// collector reads. At a terminal (standard output not redirected) one plain line per message instead,
    /// as <c>dotnet run</c> users expect; <see cref="FormatKey"/> picks either way.
    /// </summary>
    public static WebApplicationBuilder AddJsonLogging(this WebApplicationBuilder builder)
    {
        // Defaults under every other source, so a server started from another directory (where
        // appsettings.json is not the content root's) still does not log each SQL command.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // Hosting's request starting/finished pair is replaced by one AccessLog line per request, and
                // its request scope by the one RedactingLoggerFactory adds to a line written during a request.
                // Off, hosting makes neither that scope nor an Activity per request (unless tracing listens).
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            },
        });
        builder.Logging.ClearProviders();
        if (ForPeople(builder.Configuration))
        {
            builder.Logging.AddConsole(options => options.FormatterName = PeopleLogFormatter.Name)
                .AddConsoleFormatter<PeopleLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        }
        else
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // Every logger comes from this factory: no secret reaches any provider, and a line written during a
        // request carries its RequestId.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(services => new RedactingLoggerFactory(new LoggerFactory(
            services.GetServices<ILoggerProvider>(),
            services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            services.GetService<IOptions<LoggerFactoryOptions>>(),
            services.GetService<IExternalScopeProvider>()), services.GetRequiredService<CurrentRequest>())));
        return builder;
    }

    /// <summary>Plain lines for a person (a terminal, or <c>text</c> asked) rather than JSON lines for a collector.</summary>
    public static bool ForPeople(IConfiguration configuration) => ForPeople(configuration[FormatKey] ?? configuration[AliasKey]);

    /// <summary><c>Mnemo:Logging:Format</c>, the same setting by another name.</summary>
    public const string AliasKey = "Mnemo:Logging:Format";

    private static bool ForPeople(string? format) => format?.ToLowerInvariant() switch
    {
        "json" => false,
        "text" => true,
        _ => !Console.IsOutputRedirected,
    };
}
