using System.CommandLine;
using Mnemo.Client;

namespace Mnemo.Cli.Commands;

internal static class CommandRunner
{
    /// <summary>Runs a command's body; any failure becomes a one-line message on stderr and its exit code.</summary>
    public static void SetRun(this Command command, GlobalOptions globals, CliContext context, Func<Invocation, Task<int>> run) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await run(new Invocation(parse, context, globals, cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Err.WriteLine("cancelled");
                return 130;
            }
            catch (Exception e)
            {
                Report(context.Err, e);
                return e is CliException cli ? cli.ExitCode : ExitCodes.Of(e);
            }
        });

    public static void Report(TextWriter err, Exception e)
    {
        switch (e)
        {
            case MnemoApiException api:
                err.WriteLine($"error: {api.Message}");
                err.WriteLine($"       {api.ErrorName ?? "unexpected response"}, HTTP {(int)api.HttpStatus}");
                err.WriteLine($"request id: {api.RequestId ?? "(none)"}");
                if (api is RateLimitException { RetryAfter: { } wait })
                {
                    err.WriteLine($"retry after: {wait.TotalSeconds:0} s");
                }

                if (api is AuthenticationException)
                {
                    err.WriteLine("hint: check the key (`mnemo config show`); set it with `mnemo config set --key <key>` or MNEMO_API_KEY.");
                }

                break;
            case HttpRequestException http:
                err.WriteLine($"error: cannot reach the server: {http.Message}");
                err.WriteLine("hint: check the URL (`mnemo config show`) and that the server runs.");
                break;
            case FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException:
            case CliException or TimeoutException:
                err.WriteLine($"error: {e.Message}");
                break;
            default:
                err.WriteLine($"error: {e.GetType().Name}: {e.Message}");
                break;
        }
    }
}
