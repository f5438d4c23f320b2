using System.CommandLine;
using Mnemo.Cli.Commands;

namespace Mnemo.Cli;

/// <summary>The <c>mnemo</c> command tree: one line per command group.</summary>
public static class MnemoCli
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("mnemo: upload, wait for, search and manage files and prompts on a Mnemo server.");
        globals.AddTo(root);
        ConfigCommands.Add(root, globals, context);
        FileCommands.Add(root, globals, context);
        SearchCommands.Add(root, globals, context);
        PromptCommands.Add(root, globals, context);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Err };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}

/// <summary>Options every command takes.</summary>
public sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON (for scripts) instead of tables.", Recursive = true };

    public Option<string?> Url { get; } = new("--url") { Description = "The server (overrides MNEMO_URL and the config file).", Recursive = true };

    public Option<string?> Key { get; } = new("--key") { Description = "The API key (overrides MNEMO_API_KEY and the config file).", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Json);
        root.Options.Add(Url);
        root.Options.Add(Key);
    }
}
