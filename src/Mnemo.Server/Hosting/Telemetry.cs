using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;
using Mnemo.Server.Work;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mnemo.Server.Hosting;

/// <summary>"Mnemo:Telemetry". Off by default; OTLP export follows the standard OTEL_EXPORTER_OTLP_* variables.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Serve a Prometheus scrape endpoint at <see cref="PrometheusPath"/>.</summary>
    public bool Prometheus { get; set; }

    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>How often the parse queue's depth and oldest age are read from the database.</summary>
    public double QueueSampleSeconds { get; set; } = 5;
}

/// <summary>
/// OpenTelemetry metrics (ASP.NET Core, HTTP client, runtime, Mnemo's own) and, with an OTLP endpoint,
/// traces (ASP.NET Core, HTTP client, EF Core). With neither a scrape endpoint nor an OTLP endpoint
/// configured nothing is registered at all, so the default server pays nothing for it.
/// </summary>
public static class Telemetry
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration("Mnemo:Telemetry");
        if (!IsOn(builder.Configuration, out var options, out var otlp))
        {
            return builder;
        }

        builder.Services.AddHostedService<ParseQueueSampler>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mnemo"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddMeter(MnemoMetrics.MeterName)
                    .AddView(instrument => IsDropped(instrument) ? MetricStreamConfiguration.Drop : null);
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddEntityFrameworkCoreInstrumentation().AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>Tags every request's ASP.NET Core metrics with its surface; maps the scrape endpoint when asked.</summary>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        if (!IsOn(app.Configuration, out var options, out _))
        {
            return app;
        }

        app.Use((context, next) =>
        {
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new("mnemo.surface", SurfacePaths.Of(context).ToString()));
            return next(context);
        });
        if (options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        }

        return app;
    }

    /// <summary>
    /// Instruments recorded on every request, or on every buffer Kestrel rents and returns, that say nothing
    /// the request-duration histogram does not: together about a microsecond of a status poll's CPU
    /// (docs/benchmarks.md, status polling). Not listened to, they cost nothing.
    /// </summary>
    private static bool IsDropped(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.Meter.Name == "Microsoft.AspNetCore.MemoryPool"
        || instrument.Name is "aspnetcore.routing.match_attempts" or "http.server.active_requests";

    /// <summary>On when something listens: a scrape endpoint, or an OTLP endpoint (<paramref name="otlp"/>).</summary>
    private static bool IsOn(IConfiguration configuration, out TelemetryOptions options, out bool otlp)
    {
        options = configuration.GetSection("Mnemo:Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        otlp = !string.IsNullOrEmpty(configuration[OtlpEndpointKey]);
        return options.Prometheus || otlp;
    }
}

/// <summary>Reads the parse queue's depth and oldest age every few seconds for the two gauges.</summary>
public sealed partial class ParseQueueSampler(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<TelemetryOptions> options, TimeProvider time,
    ILogger<ParseQueueSampler> logger) : BackgroundService
{
    private ParseQueueSample last;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        MnemoMetrics.ObserveQueue(() => last);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.QueueSampleSeconds)), time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var jobs = scope.ServiceProvider.GetRequiredService<MnemoDb>().Set<Job>().AsNoTracking().Where(j => j.State != JobState.Done);
                var depth = await jobs.LongCountAsync(stoppingToken);
                var oldest = depth == 0 ? (DateTime?)null : await jobs.MinAsync(j => (DateTime?)j.CreatedAt, stoppingToken);
                last = new ParseQueueSample(depth, oldest is { } t ? Math.Max(0, (time.GetUtcNow().UtcDateTime - t).TotalSeconds) : 0);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SampleFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Debug, "Reading the parse queue for its gauges failed; tried again next tick")]
    private static partial void SampleFailed(ILogger logger, Exception exception);
}
