namespace Mnemo.Server.Hosting;

public static class Logging
{
    /// <summary>JSON lines on the console, with scopes, so each line carries its request's RequestId.</summary>
    public static WebApplicationBuilder AddJsonLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        return builder;
    }
}
