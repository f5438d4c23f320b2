using Spectre.Console;

namespace Mnemo.Cli;

/// <summary>
/// Where the CLI reads its environment and writes its output: the real process, or (in tests) writers
/// and a dictionary, so several runs can share one process.
/// </summary>
public sealed record CliContext(TextWriter Out, TextWriter Err, Func<string, string?> Environment, bool Interactive)
{
    public static CliContext FromProcess() => new(
        Console.Out, Console.Error, System.Environment.GetEnvironmentVariable,
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive);

    /// <summary>Tables and progress bars; plain text, wide enough for ids, when the output is not a terminal.</summary>
    public IAnsiConsole CreateConsole()
    {
        if (Interactive && ReferenceEquals(Out, Console.Out))
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        return console;
    }
}
