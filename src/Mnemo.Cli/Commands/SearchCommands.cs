using System.CommandLine;
using System.Globalization;
using Mnemo.Client;
using Spectre.Console;

namespace Mnemo.Cli.Commands;

/// <summary>search, usage, whoami.</summary>
internal static class SearchCommands
{
    public static void Add(RootCommand root, GlobalOptions globals, CliContext context)
    {
        root.Subcommands.Add(Search(globals, context));
        root.Subcommands.Add(Usage(globals, context));
        root.Subcommands.Add(WhoAmI(globals, context));
    }

    private static Command Search(GlobalOptions globals, CliContext context)
    {
        var query = new Argument<string>("query") { Description = "What to look for." };
        var topK = new Option<int?>("--top-k", "-k") { Description = "How many chunks at most (1–50; default 10)." };
        var minScore = new Option<double?>("--min-score") { Description = "Drop chunks scoring below this (0–1)." };
        var files = new Option<string[]>("--file") { Description = "Search only these file ids (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("search", "Search the memory of your files: chunks with their page or time range.") { query, topK, minScore, files };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var fileIds = run.Get(files) is { Length: > 0 } ids ? ids.Select(Invocation.FileId).ToList() : null;
            var result = await client.SearchAsync(
                new SearchRequest(run.Get(query)) { TopK = run.Get(topK), MinScore = run.Get(minScore), FileIds = fileIds }, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(result);
                return ExitCodes.Ok;
            }

            if (result.Results.Semantic.Count == 0)
            {
                context.Out.WriteLine("no matches");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("score", "file", "where", "text");
            foreach (var hit in result.Results.Semantic)
            {
                table.AddRow(hit.Score.ToString("0.00", CultureInfo.InvariantCulture), Markup.Escape(hit.FileName),
                    Output.Where(hit.PageNumber, hit.StartTime, hit.EndTime), Markup.Escape(Output.Snippet(hit.Content)));
            }

            run.Console.Write(table);
            context.Out.WriteLine($"{result.TotalResults} result(s) in {result.SearchTimeMs} ms");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Usage(GlobalOptions globals, CliContext context)
    {
        var limit = new Option<int>("--limit", "-n") { Description = "Ledger entries to show, newest first.", DefaultValueFactory = _ => 20 };
        var command = new Command("usage", "Your credit balance and the latest ledger entries.") { limit };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var usage = await client.GetUsageAsync(null, Math.Clamp(run.Get(limit), 1, 200), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(usage);
                return ExitCodes.Ok;
            }

            context.Out.WriteLine($"balance: {usage.Balance} credits");
            var table = new Table().AddColumns("time", "kind", "amount", "balance", "reason", "request id");
            foreach (var e in usage.Entries)
            {
                table.AddRow(Output.Time(e.CreatedAt), e.Kind, e.Amount.ToString(CultureInfo.InvariantCulture),
                    e.BalanceAfter.ToString(CultureInfo.InvariantCulture), Markup.Escape(e.Reason), Markup.Escape(e.RequestId ?? ""));
            }

            run.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command WhoAmI(GlobalOptions globals, CliContext context)
    {
        var command = new Command("whoami", "The organization and environment your key belongs to (checks the key).");
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var me = await client.GetMeAsync(run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(me);
            }
            else
            {
                context.Out.WriteLine($"{me.OrganizationName} ({me.OrganizationId}), environment {me.EnvironmentSlug}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
