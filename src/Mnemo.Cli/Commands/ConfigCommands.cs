using System.CommandLine;
using Spectre.Console;

namespace Mnemo.Cli.Commands;

/// <summary><c>mnemo config set|show</c>: the server URL and key, kept in the user's config directory (mode 600).</summary>
internal static class ConfigCommands
{
    public static void Add(RootCommand root, GlobalOptions globals, CliContext context)
    {
        var config = new Command("config", "Show or set the server URL and API key.");
        var set = new Command("set", "Save --url and/or --key to the config file: mnemo config set --url http://127.0.0.1:8080 --key sk-mnemo-…");
        set.SetRun(globals, context, run =>
        {
            var newUrl = run.Parse.GetValue(globals.Url);
            var newKey = run.Parse.GetValue(globals.Key);
            if (newUrl is null && newKey is null)
            {
                throw new CliException("Nothing to set: give --url and/or --key.");
            }

            if (newUrl is not null && !Uri.TryCreate(newUrl, UriKind.Absolute, out _))
            {
                throw new CliException($"'{newUrl}' is not an absolute URL.");
            }

            var current = CliConfig.Load(context);
            var saved = new CliConfig(newUrl ?? current.Url, newKey ?? current.ApiKey);
            saved.Save(context);
            if (run.Json)
            {
                run.WriteJson(new { path = CliConfig.PathOf(context), url = saved.Url, api_key = CliConfig.Mask(saved.ApiKey) });
            }
            else
            {
                context.Out.WriteLine($"saved to {CliConfig.PathOf(context)}");
            }

            return Task.FromResult(ExitCodes.Ok);
        });

        var show = new Command("show", "Show the URL and key in use, and where each comes from.");
        show.SetRun(globals, context, run =>
        {
            var (u, k, urlFrom, keyFrom) = CliConfig.Resolve(context, run.Parse.GetValue(globals.Url), run.Parse.GetValue(globals.Key));
            if (run.Json)
            {
                run.WriteJson(new { path = CliConfig.PathOf(context), url = u, url_from = urlFrom, api_key = CliConfig.Mask(k), api_key_from = keyFrom });
                return Task.FromResult(ExitCodes.Ok);
            }

            var grid = new Grid().AddColumn().AddColumn().AddColumn();
            grid.AddRow("config file", Markup.Escape(CliConfig.PathOf(context)), "");
            grid.AddRow("url", Markup.Escape(u), Markup.Escape("from " + urlFrom));
            grid.AddRow("api key", Markup.Escape(CliConfig.Mask(k)), Markup.Escape("from " + keyFrom));
            run.Console.Write(grid);
            return Task.FromResult(ExitCodes.Ok);
        });

        config.Subcommands.Add(set);
        config.Subcommands.Add(show);
        root.Subcommands.Add(config);
    }
}
