using Mnemo.Cli;

return await MnemoCli.RunAsync(args, CliContext.FromProcess());
