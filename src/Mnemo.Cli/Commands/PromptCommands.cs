using System.CommandLine;
using Spectre.Console;

namespace Mnemo.Cli.Commands;

/// <summary><c>mnemo prompt create|ls|get|versions|live|render</c>.</summary>
internal static class PromptCommands
{
    public static void Add(RootCommand root, GlobalOptions globals, CliContext context)
    {
        var prompt = new Command("prompt", "Prompts: immutable versions, one live, rendered with variables and search context.");
        prompt.Subcommands.Add(Create(globals, context));
        prompt.Subcommands.Add(List(globals, context));
        prompt.Subcommands.Add(Get(globals, context));
        prompt.Subcommands.Add(Versions(globals, context));
        prompt.Subcommands.Add(Live(globals, context));
        prompt.Subcommands.Add(Render(globals, context));
        root.Subcommands.Add(prompt);
    }

    private static Argument<string> Name() => new("name") { Description = "The prompt's name." };

    private static Command Create(GlobalOptions globals, CliContext context)
    {
        var name = Name();
        var body = new Option<string?>("--body") { Description = "The template; {{variable}} marks a variable." };
        var bodyFile = new Option<string?>("--body-file") { Description = "Read the template from this file." };
        var command = new Command("create", "Create a prompt, or its next version.") { name, body, bodyFile };
        command.SetRun(globals, context, async run =>
        {
            var text = run.Get(body) ?? (run.Get(bodyFile) is { } path ? await File.ReadAllTextAsync(path, run.CancellationToken) : null)
                ?? throw new CliException("Give the template with --body or --body-file.");
            using var client = run.CreateClient();
            var created = await client.Prompts.CreateAsync(run.Get(name), text, null, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(created);
            }
            else
            {
                context.Out.WriteLine($"{created.Name} version {created.VersionNumber}{(created.Live ? " (live)" : "")}; variables: {string.Join(", ", created.Variables)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(GlobalOptions globals, CliContext context)
    {
        var command = new Command("ls", "The prompts of this environment.");
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var page = await client.Prompts.ListAsync(1, 100, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(page.Items);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "live", "latest", "updated");
            foreach (var p in page.Items)
            {
                table.AddRow(Markup.Escape(p.Name), p.LiveVersion?.ToString() ?? "-", p.LatestVersion.ToString(), Output.Time(p.UpdatedAt));
            }

            run.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get(GlobalOptions globals, CliContext context)
    {
        var name = Name();
        var command = new Command("get", "The live version of a prompt.") { name };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var live = await client.Prompts.GetAsync(run.Get(name), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(live);
            }
            else
            {
                context.Out.WriteLine($"{live.Name} version {live.VersionNumber} (live)");
                context.Out.WriteLine(live.Body);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Versions(GlobalOptions globals, CliContext context)
    {
        var name = Name();
        var command = new Command("versions", "Every version of a prompt.") { name };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var versions = await client.Prompts.GetVersionsAsync(run.Get(name), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(versions);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("version", "live", "created", "body");
            foreach (var v in versions.Items)
            {
                table.AddRow(v.VersionNumber.ToString(), v.Live ? "[green]live[/]" : "", Output.Time(v.CreatedAt), Markup.Escape(Output.Snippet(v.Body, 60)));
            }

            run.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Live(GlobalOptions globals, CliContext context)
    {
        var name = Name();
        var version = new Argument<int>("version") { Description = "The version to make live." };
        var command = new Command("live", "Make a version the live one.") { name, version };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var live = await client.Prompts.SetLiveAsync(run.Get(name), run.Get(version), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(live);
            }
            else
            {
                context.Out.WriteLine($"{live.Name} version {live.VersionNumber} is live");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Render(GlobalOptions globals, CliContext context)
    {
        var name = Name();
        var variables = new Option<string[]>("--var") { Description = "A variable as name=value (repeatable)." };
        var query = new Option<string?>("--query", "-q") { Description = "Fill {{context}} from a search for this." };
        var topK = new Option<int?>("--top-k", "-k") { Description = "How many search chunks for {{context}} (default 5)." };
        var command = new Command("render", "Fill the live version's variables.") { name, variables, query, topK };
        command.SetRun(globals, context, async run =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in run.Get(variables) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new CliException($"--var '{pair}' is not name=value.");
                }

                values[pair[..eq]] = pair[(eq + 1)..];
            }

            using var client = run.CreateClient();
            var rendered = await client.Prompts.RenderAsync(run.Get(name), values, run.Get(query), run.Get(topK), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(rendered);
            }
            else
            {
                context.Out.WriteLine(rendered.Prompt);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
