using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Tools;

/// <param name="StdoutOverLimit">The tool wrote more than the caller's limit to stdout and was stopped.</param>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr, bool StdoutOverLimit = false)
{
    /// <summary>The tool's own last words, for a cause a user can act on.</summary>
    public string LastError(int maxChars = 400)
    {
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = string.Join("; ", lines.TakeLast(3));
        return text.Length > maxChars ? text[^maxChars..] : text;
    }
}

/// <summary>Runs ffmpeg, ffprobe, pdftotext, tesseract and the speech engines with a timeout; a tool that hangs is killed with its children.</summary>
public sealed partial class ToolRunner(IOptions<ToolOptions> options, ILogger<ToolRunner> logger)
{
    private const int MaxCapturedChars = 4 * 1024 * 1024;

    /// <param name="maxStdoutChars">
    /// When given, stdout beyond this many characters stops the tool at once (<see cref="ToolResult.StdoutOverLimit"/>)
    /// instead of being dropped while it keeps running.
    /// </param>
    public async Task<ToolResult> RunAsync(
        string tool, IReadOnlyList<string> arguments, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null,
        int? maxStdoutChars = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DependencyUnavailableException($"{tool} is not installed or cannot start.", e);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ToolTimeoutSeconds));
        var overLimit = false;
        var stdout = maxStdoutChars is { } limit
            ? ReadLimitedAsync(process.StandardOutput, limit, () =>
            {
                overLimit = true;
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // it ended on its own meanwhile
                }
            })
            : ReadCappedAsync(process.StandardOutput, keepTail: false);
        var stderr = ReadCappedAsync(process.StandardError, keepTail: true);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested)
            {
                throw;
            }

            throw new ToolTimeoutException($"{tool} took longer than {options.Value.ToolTimeoutSeconds} s and was stopped.");
        }

        var result = new ToolResult(process.ExitCode, await stdout, await stderr, overLimit);
        Exited(logger, tool, process.ExitCode, clock.ElapsedMilliseconds);
        return result;
    }

    /// <summary>Reads up to <paramref name="limit"/> characters; one more calls <paramref name="over"/> and stops reading.</summary>
    private static async Task<string> ReadLimitedAsync(StreamReader reader, int limit, Action over)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length + read > limit)
            {
                over();
                return "";
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    /// <summary>Reads a stream to its end, keeping at most a few MB (the head of stdout, the tail of stderr).</summary>
    private static async Task<string> ReadCappedAsync(StreamReader reader, bool keepTail)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length + read > MaxCapturedChars)
            {
                if (!keepTail)
                {
                    continue;
                }

                text.Remove(0, Math.Min(text.Length, read));
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    [LoggerMessage(LogLevel.Debug, "{Tool} exited {ExitCode} after {ElapsedMs} ms")]
    private static partial void Exited(ILogger logger, string tool, int exitCode, long elapsedMs);
}

public sealed class ToolTimeoutException(string message) : Exception(message);

/// <summary>Bound from section Mnemo:Processing, where the timeout has always been configured.</summary>
public sealed class ToolOptions
{
    public int ToolTimeoutSeconds { get; set; } = 600;
}
