using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Mnemo.Server.Hosting;

namespace Mnemo.Server.WebConsole;

/// <summary>
/// Once the server listens: where the console and the API docs are. At a terminal a few plain lines on standard
/// output (after the first start's key, which the console signs in with); for a log collector one log line.
/// </summary>
public static partial class ConsoleBanner
{
    public static void PrintWhenStarted(WebApplication app) => app.Lifetime.ApplicationStarted.Register(() =>
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (addresses.FirstOrDefault() is not { } first)
        {
            return;
        }

        var root = Browsable(first);
        if (Logging.ForPeople(app.Configuration))
        {
            Console.Out.Write($"""

                Mnemo is listening on {root}
                  console   {root}{ConsoleApp.Path}/   (sign in with an API key)
                  API docs  {root}/docs


                """);
            Console.Out.Flush();
        }
        else
        {
            Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleBanner).FullName!), root, root + ConsoleApp.Path + "/");
        }
    });

    /// <summary>A wildcard listen address (<c>http://0.0.0.0:8080</c>, <c>http://[::]:8080</c>, <c>http://+:8080</c>) as a browser opens it.</summary>
    private static string Browsable(string address) => address
        .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal)
        .Replace("://[::]:", "://localhost:", StringComparison.Ordinal)
        .Replace("://+:", "://localhost:", StringComparison.Ordinal)
        .Replace("://*:", "://localhost:", StringComparison.Ordinal)
        .TrimEnd('/');

    [LoggerMessage(LogLevel.Information, "Listening on {Address}; the console is at {ConsoleUrl}")]
    private static partial void Listening(ILogger logger, string address, string consoleUrl);
}
