using System.Diagnostics;
using System.Net.Sockets;

namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server on loopback: s3rver (npm), installed under the checkout's <c>.tools/</c> on first
/// use, started on a free port with one bucket, its objects in a temp folder.
/// </summary>
public sealed class S3Server : IDisposable
{
    public const string Bucket = "mnemo";
    public const string Credential = "S3RVER"; // s3rver's fixed access key and secret

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly Process process;
    private readonly string directory;

    private S3Server(Process process, string directory, Uri endpoint)
    {
        this.process = process;
        this.directory = directory;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>The server settings that put Mnemo's stored bytes in this server's bucket.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mnemo:Storage:S3:Bucket"] = Bucket,
        ["Mnemo:Storage:S3:ServiceUrl"] = Endpoint.ToString(),
        ["Mnemo:Storage:S3:AccessKey"] = Credential,
        ["Mnemo:Storage:S3:SecretKey"] = Credential,
    };

    public static async Task<S3Server> StartAsync()
    {
        var script = await InstallAsync();
        var directory = Directory.CreateTempSubdirectory("mnemo-s3-").FullName;
        var port = ServerProcess.FreePort();
        var info = new ProcessStartInfo("node", [script, "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(), "--silent", "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", port);
                return new S3Server(process, directory, new Uri($"http://127.0.0.1:{port}"));
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<string> InstallAsync()
    {
        var prefix = Path.Combine(RepoPaths.Root, ".tools", "s3rver");
        var script = Path.Combine(prefix, "node_modules", "s3rver", "bin", "s3rver.js");
        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(script))
            {
                var npm = Process.Start(new ProcessStartInfo("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix, "s3rver@3.7.1"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                }) ?? throw new InvalidOperationException("npm did not start: the S3 tests need Node.js and npm");
                var errors = npm.StandardError.ReadToEndAsync();
                await npm.StandardOutput.ReadToEndAsync();
                await npm.WaitForExitAsync();
                if (npm.ExitCode != 0 || !File.Exists(script))
                {
                    throw new InvalidOperationException($"npm install s3rver failed ({npm.ExitCode}): {await errors}");
                }
            }

            return script;
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
