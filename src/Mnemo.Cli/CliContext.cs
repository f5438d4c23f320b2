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

    /// <summary>Tables and progress bars; plain text when the output is not a terminal.</summary>
    public IAnsiConsole CreateConsole() => Interactive && ReferenceEquals(Out, Console.Out)
        ? AnsiConsole.Console
        : AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
}
