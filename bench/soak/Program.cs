// Soak: starts a Release Mnemo server, drives N concurrent clients at it over loopback for a bounded
// time (status polls on both memories surfaces, paid memic searches, small uploads, and a trickle of
// requests with ever-new unknown keys, as a scanner would send), and samples the server's RSS and the
// clients' latency every interval. Prints one row per sample and a verdict on the RSS trend.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var options = Args.Parse(args);
Directory.CreateDirectory(options.Data);
var url = $"http://127.0.0.1:{options.Port}";
var info = new ProcessStartInfo("dotnet", [options.Server, "--urls", url])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    UseShellExecute = false,
};
info.Environment["MNEMO_DATA_DIR"] = options.Data;
info.Environment["MNEMO_ADMIN_TOKEN"] = "soak";
info.Environment["Mnemo__RateLimits__Enabled"] = "false"; // measures the server, not the limiter
using var server = Process.Start(info)!;
var log = new StreamWriter(Path.Combine(options.Data, "server.log")) { AutoFlush = false };
server.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
server.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
server.BeginOutputReadLine();
server.BeginErrorReadLine();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients + 8, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = new Uri(url),
    Timeout = TimeSpan.FromSeconds(60),
};
try
{
    await WaitHealthyAsync(http);
    var key = await CreateKeyAsync(http);
    var seeded = await SeedAsync(http, key, 20);
    Console.WriteLine($"server pid {server.Id}, {seeded.Count} documents ready; {options.Clients} clients for {options.Minutes} min, a sample every {options.SampleSeconds} s");
    Console.WriteLine();
    Console.WriteLine("| t (s) | RSS (MB) | threads | requests/s | p50 (ms) | p99 (ms) | errors |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");

    var window = new Window();
    var deadline = DateTime.UtcNow.AddMinutes(options.Minutes);
    var clients = Enumerable.Range(0, options.Clients).Select(i => Task.Run(() => ClientAsync(http, key, seeded, window, deadline, i))).ToList();
    var clock = Stopwatch.StartNew();
    var rows = new List<(double T, double Rss)>();
    while (DateTime.UtcNow < deadline)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.SampleSeconds));
        var (count, errors, p50, p99) = window.Take();
        var (rss, threads) = ProcStatus(server.Id);
        rows.Add((clock.Elapsed.TotalSeconds, rss));
        Console.WriteLine($"| {clock.Elapsed.TotalSeconds:0} | {rss:0} | {threads} | {count / options.SampleSeconds:0} | {p50:0.0} | {p99:0.0} | {errors} |");
    }

    await Task.WhenAll(clients);
    var half = rows.Skip(rows.Count / 2).ToList();
    Console.WriteLine();
    Console.WriteLine($"RSS: first sample {rows[0].Rss:0} MB, max {rows.Max(r => r.Rss):0} MB, last {rows[^1].Rss:0} MB; " +
        $"second half {half.Min(r => r.Rss):0}–{half.Max(r => r.Rss):0} MB ({Slope(half) * 60:+0.0;-0.0} MB/min)");
}
finally
{
    server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();
    lock (log)
    {
        log.Flush();
    }
}

static double Slope(List<(double T, double Rss)> points)
{
    if (points.Count < 2)
    {
        return 0;
    }

    var (mt, mr) = (points.Average(p => p.T), points.Average(p => p.Rss));
    var den = points.Sum(p => (p.T - mt) * (p.T - mt));
    return den == 0 ? 0 : points.Sum(p => (p.T - mt) * (p.Rss - mr)) / den;
}

static (double RssMb, int Threads) ProcStatus(int pid)
{
    var status = File.ReadAllText($"/proc/{pid}/status");
    return (long.Parse(Regex.Match(status, @"VmRSS:\s+(\d+)").Groups[1].Value) / 1024.0,
        int.Parse(Regex.Match(status, @"Threads:\s+(\d+)").Groups[1].Value));
}

static async Task WaitHealthyAsync(HttpClient http)
{
    for (var i = 0; i < 600; i++)
    {
        try
        {
            if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(100);
    }

    throw new TimeoutException("the server did not come up");
}

static async Task<string> CreateKeyAsync(HttpClient http)
{
    using var admin = new HttpRequestMessage(HttpMethod.Post, "/admin/accounts") { Content = JsonContent.Create(new { name = "soak", credits = 1_000_000_000_000 }) };
    admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "soak");
    var account = await (await http.SendAsync(admin)).Content.ReadFromJsonAsync<JsonElement>();
    using var keys = new HttpRequestMessage(HttpMethod.Post, $"/admin/accounts/{account.GetProperty("id").GetString()}/keys") { Content = JsonContent.Create(new { }) };
    keys.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "soak");
    return (await (await http.SendAsync(keys)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
}

static async Task<List<long>> SeedAsync(HttpClient http, string key, int count)
{
    var ids = new List<long>();
    for (var i = 0; i < count; i++)
    {
        using var upload = Upload(key, i);
        var body = await (await http.SendAsync(upload)).Content.ReadFromJsonAsync<JsonElement>();
        ids.Add(long.Parse(body.GetProperty("data").GetProperty("asset_id").GetString()!["re_".Length..]));
    }

    foreach (var id in ids)
    {
        for (var tries = 0; tries < 600; tries++)
        {
            using var poll = Authorized(HttpMethod.Get, $"/serve/api/v2/re_{id}/metadata", key);
            var body = await (await http.SendAsync(poll)).Content.ReadFromJsonAsync<JsonElement>();
            if (body.GetProperty("data").GetProperty("resource")[0].GetProperty("upload_status").GetString() == "SUCCESS")
            {
                break;
            }

            await Task.Delay(100);
        }
    }

    return ids;
}

static HttpRequestMessage Authorized(HttpMethod method, string path, string key)
{
    var request = new HttpRequestMessage(method, path);
    request.Headers.TryAddWithoutValidation("Authorization", key);
    request.Headers.TryAddWithoutValidation("X-API-Key", key);
    return request;
}

static HttpRequestMessage Upload(string key, int n)
{
    var request = Authorized(HttpMethod.Post, "/serve/api/v2/upload", key);
    var text = new StringBuilder($"# Soak note {n}\n\n");
    for (var line = 0; line < 40; line++)
    {
        text.Append("Herons, egrets and bitterns wade in line ").Append(line).Append(" of note ").Append(n).Append(".\n");
    }

    request.Content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(text.ToString())), "file", $"note-{n}.md" } };
    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
    return request;
}

static async Task ClientAsync(HttpClient http, string key, List<long> assets, Window window, DateTime deadline, int client)
{
    var random = new Random(client);
    var words = new[] { "heron", "egret", "bittern", "note", "wade", "line" };
    var n = 0;
    while (DateTime.UtcNow < deadline)
    {
        var roll = random.NextDouble();
        var asset = assets[random.Next(assets.Count)];
        var junk = roll >= 0.99;
        using var request = roll switch
        {
            < 0.55 => Authorized(HttpMethod.Get, $"/serve/api/v2/re_{asset}/metadata", key),
            < 0.70 => Authorized(HttpMethod.Get, $"/serve/api/v1/get_metadata?video_no=VI{asset}", key),
            < 0.97 => Search(key, words[random.Next(words.Length)]),
            < 0.99 => Upload(key, client * 1_000_000 + n++),
            _ => Junk(),
        };
        var started = Stopwatch.GetTimestamp();
        bool ok;
        try
        {
            using var response = await http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            ok = junk ? (int)response.StatusCode == 401 : response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            ok = false;
        }

        window.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok);
    }
}

static HttpRequestMessage Search(string key, string word)
{
    var request = Authorized(HttpMethod.Post, "/api/v1/search", key);
    request.Content = JsonContent.Create(new { query = word, top_k = 5 });
    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
    return request;
}

static HttpRequestMessage Junk()
{
    var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/usage");
    request.Headers.TryAddWithoutValidation("X-API-Key", "sk-mnemo-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
    return request;
}

/// <summary>Latencies and errors since the last sample.</summary>
internal sealed class Window
{
    private List<double> latencies = [];
    private int errors;

    public void Add(double milliseconds, bool ok)
    {
        lock (this)
        {
            latencies.Add(milliseconds);
            if (!ok)
            {
                errors++;
            }
        }
    }

    public (int Count, int Errors, double P50, double P99) Take()
    {
        List<double> taken;
        int failed;
        lock (this)
        {
            (taken, latencies, failed, errors) = (latencies, [], errors, 0);
        }

        taken.Sort();
        return taken.Count == 0 ? (0, failed, 0, 0)
            : (taken.Count, failed, taken[(int)(taken.Count * 0.50)], taken[Math.Min(taken.Count - 1, (int)(taken.Count * 0.99))]);
    }
}

internal sealed record Args(string Server, string Data, double Minutes, int Clients, int SampleSeconds, int Port)
{
    public static Args Parse(string[] args)
    {
        string Value(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        return new Args(
            Value("--server", "Mnemo.Server.dll"),
            Value("--data", Path.Combine(Path.GetTempPath(), "mnemo-soak-" + Guid.NewGuid().ToString("N"))),
            double.Parse(Value("--minutes", "4"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Value("--clients", "200")),
            int.Parse(Value("--sample", "20")),
            int.Parse(Value("--port", "18400")));
    }
}
