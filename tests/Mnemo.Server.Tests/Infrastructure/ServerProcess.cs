using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>The real server as a separate process (dotnet Mnemo.Server.dll), as a user starts it.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private bool killed;

    private ServerProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    public int ProcessId => process.Id;

    /// <summary>SIGKILL: no shutdown hooks run, as when a machine dies.</summary>
    public void Kill()
    {
        killed = true;
        process.Kill(entireProcessTree: true);
    }

    public static async Task<ServerProcess> StartAsync(string dataDir, IDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet", ["Mnemo.Server.dll", "--urls", address.ToString().TrimEnd('/')])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["MNEMO_DATA_DIR"] = dataDir;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = new ServerProcess(Process.Start(info)!, address);
        started.process.OutputDataReceived += (_, e) => { if (e.Data is not null) started.Output.Enqueue(e.Data); };
        started.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) started.Output.Enqueue(e.Data); };
        started.process.BeginOutputReadLine();
        started.process.BeginErrorReadLine();
        await started.WaitUntilHealthyAsync();
        return started;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The server exited: " + string.Join('\n', Output));
            }

            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become healthy: " + string.Join('\n', Output));
    }

    /// <summary>Set when the process ended by itself (not by <see cref="Kill"/>): what it printed says why.</summary>
    public string? ExitedWith => process.HasExited && !killed ? $"exit code {process.ExitCode}:\n{string.Join('\n', Output.TakeLast(40))}" : null;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        killed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
