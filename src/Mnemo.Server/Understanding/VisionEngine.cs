using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Understanding;

/// <summary>An object class seen in a picture, how sure the detector is (0..1), and where: x, y, width, height in pixels.</summary>
public sealed record SeenObject([property: JsonPropertyName("class")] string Class, double Score, int[] Box);

/// <summary>A face: how sure blazeface is, where (x, y, width, height in pixels), and faceres' description of it (1024 floats; null when it could not run).</summary>
public sealed record SeenFace(double Score, int[] Box, float[]? Embedding = null);

/// <summary>What the vision engine saw in one picture of <paramref name="Width"/> × <paramref name="Height"/> pixels.</summary>
public sealed record Sight(IReadOnlyList<SeenObject> Objects, IReadOnlyList<SeenFace> Faces, int Width = 0, int Height = 0);

/// <summary>
/// Object and face detection by Human (<see cref="VisionScript"/>) in ONE long-lived Node process, started at the
/// first picture and started again when it dies: its models load once, not once a frame. Pictures are asked one at
/// a time (the process answers in order). Everything comes from npm (<see cref="InstallCommand"/>); a stronger
/// engine can take its place behind <see cref="DetectAsync"/>.
/// </summary>
public sealed partial class VisionEngine(IOptions<UnderstandingOptions> options, ILogger<VisionEngine> logger) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly string[] Files =
    [
        "node_modules/@vladmandic/human/dist/human.node-wasm.js",
        "node_modules/@vladmandic/human/models/centernet.json",
        "node_modules/@vladmandic/human/models/blazeface.json",
        "node_modules/@vladmandic/human/models/faceres.json",
        "node_modules/@vladmandic/human/models/faceres.bin",
        "node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
    ];

    private static readonly TimeSpan PictureTimeout = TimeSpan.FromSeconds(120);

    private readonly SemaphoreSlim one = new(1, 1);
    private readonly Queue<string> lastErrors = new();
    private Process? process;
    private long next;

    public const string Name = "human";

    public static string DefaultDir { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "mnemo", "vision");

    public static string InstallCommand(string dir) => $"scripts/install-vision \"{dir}\"";

    public string Dir => string.IsNullOrWhiteSpace(options.Value.VisionDir) ? DefaultDir : Path.GetFullPath(options.Value.VisionDir);

    /// <summary>What this machine lacks to run the engine from <paramref name="dir"/>; empty when it can.</summary>
    public static List<string> Missing(string dir) => NodeInstall.Missing(dir, Files);

    public bool IsInstalled => Missing(Dir).Count == 0;

    /// <summary>Objects and faces in a binary PPM picture (ffmpeg writes it); a process that died on the way is started again once.</summary>
    public async Task<Sight> DetectAsync(string ppmPath, CancellationToken ct)
    {
        await one.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // A picture takes well under a second; one that takes minutes means the process is stuck.
                using var picture = CancellationTokenSource.CreateLinkedTokenSource(ct);
                picture.CancelAfter(PictureTimeout);
                try
                {
                    return await AskAsync(await StartedAsync(picture.Token), ppmPath, picture.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    Stop();
                    throw new TimeoutException($"the vision engine gave no answer within {PictureTimeout.TotalSeconds} s");
                }
                catch (EngineExitedException e) when (attempt == 1)
                {
                    Restarting(logger, e.Message);
                    Stop();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The unanswered question's answer would be read as the next one's: the process goes with it.
            Stop();
            throw;
        }
        finally
        {
            one.Release();
        }
    }

    private async Task<Sight> AskAsync(Process p, string ppmPath, CancellationToken ct)
    {
        var id = ++next;
        await p.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { id, path = ppmPath }).AsMemory(), ct);
        await p.StandardInput.FlushAsync(ct);
        var answer = await ReadLineAsync(p, ct);
        using var document = JsonDocument.Parse(answer);
        var root = document.RootElement;
        if (!root.TryGetProperty("id", out var answered) || answered.ValueKind != JsonValueKind.Number || answered.GetInt64() != id)
        {
            Stop();
            throw new InvalidOperationException("the vision engine answered out of turn");
        }

        if (root.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException("the vision engine cannot read the picture: " + error.GetString());
        }

        return new Sight(
            root.GetProperty("objects").Deserialize<List<SeenObject>>(Json) ?? [],
            root.GetProperty("faces").Deserialize<List<SeenFace>>(Json) ?? [],
            root.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            root.TryGetProperty("height", out var h) ? h.GetInt32() : 0);
    }

    private async Task<Process> StartedAsync(CancellationToken ct)
    {
        if (process is { HasExited: false })
        {
            return process;
        }

        Stop();
        var dir = Dir;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--input-type=module", "-e", VisionScript.Source, dir })
        {
            start.ArgumentList.Add(argument);
        }

        var p = new Process { StartInfo = start };
        p.ErrorDataReceived += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.Data))
            {
                return;
            }

            lock (lastErrors)
            {
                lastErrors.Enqueue(e.Data);
                while (lastErrors.Count > 5)
                {
                    lastErrors.Dequeue();
                }
            }
        };
        try
        {
            p.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            p.Dispose();
            throw new InvalidOperationException("node cannot start: " + e.Message, e);
        }

        p.BeginErrorReadLine();
        process = p;
        var clock = Stopwatch.StartNew();
        // Loading the models takes a second or two; a machine that needs more than a minute is stuck.
        using var loading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        loading.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var ready = await ReadLineAsync(p, loading.Token);
            Started(logger, clock.ElapsedMilliseconds, p.Id, ready);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Stop();
            throw new InvalidOperationException("the vision engine did not load its models within 60 s");
        }
        catch (EngineExitedException e)
        {
            // It cannot even start: trying again would fail the same way.
            Stop();
            throw new InvalidOperationException("the vision engine cannot start: " + e.Message);
        }

        return p;
    }

    private async Task<string> ReadLineAsync(Process p, CancellationToken ct)
    {
        while (true)
        {
            var line = await p.StandardOutput.ReadLineAsync(ct);
            if (line is null)
            {
                await p.WaitForExitAsync(CancellationToken.None);
                string errors;
                lock (lastErrors)
                {
                    errors = string.Join("; ", lastErrors);
                }

                throw new EngineExitedException($"exit {p.ExitCode}{(errors.Length > 0 ? ": " + errors : "")}");
            }

            if (line.StartsWith('{'))
            {
                return line;
            }
        }
    }

    private void Stop()
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Stop();
        one.Dispose();
    }

    private sealed class EngineExitedException(string message) : Exception(message);

    [LoggerMessage(LogLevel.Warning, "The vision engine stopped ({Cause}); starting it again")]
    private static partial void Restarting(ILogger logger, string cause);

    [LoggerMessage(LogLevel.Information, "Vision engine started in {Ms} ms (pid {Pid}): {Ready}")]
    private static partial void Started(ILogger logger, long ms, int pid, string ready);
}

/// <summary>Says at start whether the vision engine is there, so a missing install is logged then, not at the first upload.</summary>
internal sealed partial class VisionEngineAtStart(VisionEngine engine, IOptions<UnderstandingOptions> options, ILogger<VisionEngineAtStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Vision)
        {
            TurnedOff(logger);
            return Task.CompletedTask;
        }

        var missing = VisionEngine.Missing(engine.Dir);
        if (missing.Count == 0)
        {
            Installed(logger, VisionEngine.Name, engine.Dir);
        }
        else
        {
            NotInstalled(logger, string.Join(", ", missing), VisionEngine.InstallCommand(engine.Dir));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Vision is turned off (Mnemo:Understanding:Vision)")]
    private static partial void TurnedOff(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Vision engine: {Engine} in {Dir}")]
    private static partial void Installed(ILogger logger, string engine, string dir);

    [LoggerMessage(LogLevel.Warning,
        "The vision engine is not installed, so what is seen in videos and images is not searchable. Missing: {Missing}. Install it with: {Command}")]
    private static partial void NotInstalled(ILogger logger, string missing, string command);
}
