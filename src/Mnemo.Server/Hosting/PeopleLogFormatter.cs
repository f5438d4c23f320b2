using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Mnemo.Server.Hosting;

/// <summary>
/// One line per message for a person at a terminal: <c>19:02:11 info AccessLog  GET /api/v1/files answered 200 in 3 ms [req_…]</c>.
/// The time, a short level, the category's last name, the message and, in a request, its id (the
/// <c>X-Request-Id</c> a user quotes); the exception on the lines below. Nothing else of the scopes is written
/// (a request path may carry a query string). Levels are coloured when the terminal takes colours.
/// </summary>
public sealed class PeopleLogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "mnemo";

    private static readonly bool Colours = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        string? requestId = null;
        scopeProvider?.ForEachScope((scope, _) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    if (key == "RequestId")
                    {
                        requestId = value?.ToString();
                    }
                }
            }
        }, (object?)null);

        var category = logEntry.Category[(logEntry.Category.LastIndexOf('.') + 1)..];
        var (level, colour) = logEntry.LogLevel switch
        {
            LogLevel.Trace => ("trce", "\e[90m"),
            LogLevel.Debug => ("dbug", "\e[90m"),
            LogLevel.Information => ("info", "\e[32m"),
            LogLevel.Warning => ("warn", "\e[33m"),
            LogLevel.Error => ("fail", "\e[31m"),
            _ => ("crit", "\e[1;31m"),
        };
        textWriter.Write(DateTime.UtcNow.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(Colours ? $"{colour}{level}\e[0m " : level + " ");
        textWriter.Write(category.PadRight(20));
        textWriter.Write(' ');
        textWriter.Write(message);
        if (requestId is not null)
        {
            textWriter.Write(Colours ? $" \e[90m[{requestId}]\e[0m" : $" [{requestId}]");
        }

        textWriter.WriteLine();
        if (logEntry.Exception is { } exception)
        {
            textWriter.WriteLine(exception.ToString());
        }
    }
}
