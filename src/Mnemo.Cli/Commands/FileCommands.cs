using System.CommandLine;
using Mnemo.Client;
using Spectre.Console;

namespace Mnemo.Cli.Commands;

/// <summary>upload, status, ls, get, download, rm: memic files.</summary>
internal static class FileCommands
{
    public static void Add(RootCommand root, GlobalOptions globals, CliContext context)
    {
        root.Subcommands.Add(Upload(globals, context));
        root.Subcommands.Add(Status(globals, context));
        root.Subcommands.Add(List(globals, context));
        root.Subcommands.Add(Get(globals, context));
        root.Subcommands.Add(Download(globals, context));
        root.Subcommands.Add(Remove(globals, context));
    }

    private static Command Upload(GlobalOptions globals, CliContext context)
    {
        var path = new Argument<string>("path") { Description = "The file to upload (video, audio, image or document)." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the file is parsed (ready or failed)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds --wait waits at most.", DefaultValueFactory = _ => 600 };
        var reference = new Option<string?>("--reference-id") { Description = "Your own id for the file (search can filter on it)." };
        var command = new Command("upload", "Upload a file, with a progress bar; --wait for it to be parsed.") { path, wait, timeout, reference };
        command.SetRun(globals, context, async run =>
        {
            var file = new FileInfo(run.Get(path));
            if (!file.Exists)
            {
                throw new CliException($"No file at {file.FullName}.");
            }

            using var client = run.CreateClient();
            var options = new UploadFileOptions { ReferenceId = run.Get(reference) };
            MnemoFile uploaded;
            if (run.ShowProgress)
            {
                uploaded = await run.Console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask(Markup.Escape(file.Name), maxValue: Math.Max(1, file.Length));
                        var result = await client.Files.UploadAsync(file.FullName, options, new InlineProgress(sent => task.Value = sent), run.CancellationToken);
                        task.Value = task.MaxValue;
                        return result;
                    });
            }
            else
            {
                uploaded = await client.Files.UploadAsync(file.FullName, options, null, run.CancellationToken);
            }

            if (run.Get(wait))
            {
                var limit = TimeSpan.FromSeconds(run.Get(timeout));
                uploaded = run.ShowProgress
                    ? await run.Console.Status().StartAsync("Parsing…", _ => client.Files.WaitUntilReadyAsync(uploaded.Id, limit, run.CancellationToken))
                    : await client.Files.WaitUntilReadyAsync(uploaded.Id, limit, run.CancellationToken);
            }

            Show(run, uploaded);
            if (uploaded.IsFailed)
            {
                context.Err.WriteLine($"error: parsing failed: {uploaded.ErrorMessage}");
                return ExitCodes.Error;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(GlobalOptions globals, CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The file id." };
        var command = new Command("status", "A file's status: pending, processing, ready or failed.") { id };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var file = await client.Files.GetStatusAsync(Invocation.FileId(run.Get(id)), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(new { id = file.Id, status = file.Status, error_message = file.ErrorMessage });
            }
            else
            {
                run.Console.MarkupLine($"{file.Id}  {Output.Status(file.Status)}{(file.ErrorMessage is { } error ? "  " + Markup.Escape(error) : "")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(GlobalOptions globals, CliContext context)
    {
        var limit = new Option<int>("--limit", "-n") { Description = "How many files at most, newest first.", DefaultValueFactory = _ => 50 };
        var command = new Command("ls", "List files, newest first.") { limit };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var files = new List<MnemoFile>();
            var max = run.Get(limit);
            await foreach (var file in client.Files.ListAsync(Math.Clamp(max, 1, 100), run.CancellationToken))
            {
                if (files.Count >= max)
                {
                    break;
                }

                files.Add(file);
            }

            if (run.Json)
            {
                run.WriteJson(files);
            }
            else
            {
                run.Console.Write(Output.FilesTable(files));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get(GlobalOptions globals, CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The file id." };
        var command = new Command("get", "Everything about one file.") { id };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            Show(run, await client.Files.GetAsync(Invocation.FileId(run.Get(id)), run.CancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Download(GlobalOptions globals, CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The file id." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write (default: the original file name, here)." };
        var command = new Command("download", "Download a file's original bytes.") { id, output };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var fileId = Invocation.FileId(run.Get(id));
            var file = await client.Files.GetAsync(fileId, run.CancellationToken);
            var target = Path.GetFullPath(run.Get(output) ?? Path.GetFileName(file.OriginalFilename));
            var partial = target + ".part";
            await using (var stream = File.Create(partial))
            {
                if (run.ShowProgress)
                {
                    await run.Console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                        .StartAsync(async progress =>
                        {
                            var task = progress.AddTask(Markup.Escape(file.Name), maxValue: Math.Max(1, file.Size));
                            await client.Files.DownloadAsync(fileId, stream, new InlineProgress(n => task.Value = n), run.CancellationToken);
                            task.Value = task.MaxValue;
                        });
                }
                else
                {
                    await client.Files.DownloadAsync(fileId, stream, null, run.CancellationToken);
                }
            }

            File.Move(partial, target, overwrite: true);
            if (run.Json)
            {
                run.WriteJson(new { id = fileId, path = target, size = new FileInfo(target).Length });
            }
            else
            {
                context.Out.WriteLine($"saved {target} ({Output.Size(new FileInfo(target).Length)})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(GlobalOptions globals, CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The file id." };
        var command = new Command("rm", "Delete a file, its bytes and everything derived from it.") { id };
        command.SetRun(globals, context, async run =>
        {
            using var client = run.CreateClient();
            var fileId = Invocation.FileId(run.Get(id));
            await client.Files.DeleteAsync(fileId, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(new { id = fileId, deleted = true });
            }
            else
            {
                context.Out.WriteLine($"deleted {fileId}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(Invocation run, MnemoFile file)
    {
        if (run.Json)
        {
            run.WriteJson(file);
        }
        else
        {
            run.Console.Write(Output.FileDetail(file));
        }
    }
}
