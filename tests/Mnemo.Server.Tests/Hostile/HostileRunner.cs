using System.Diagnostics;
using System.Text;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>Sends requests one by one over a real socket and sorts every answer: fine, failure, or known elsewhere.</summary>
public sealed class HostileRunner(MnemoServer server, string key) : IDisposable
{
    public sealed record Failure(HostileRequest Request, HostileResponse? Response, string Problem)
    {
        public string Describe() => Request.Describe() + $"  → {Problem}" + (Response is null ? "" :
            $"\n  ← {Response.Status} X-Request-Id: {Response.Header("X-Request-Id") ?? "(none)"} body: {HostileRequest.Printable(Response.Body, 300)}") + "\n";
    }

    public List<Failure> Failures { get; } = [];
    public Dictionary<int, int> Statuses { get; } = [];
    public int Sent { get; private set; }

    /// <summary>Requests the client library refused to put on the wire (e.g. a header it will not encode).</summary>
    public int NotSent { get; private set; }

    /// <summary>Requests Kestrel itself refused before the application (see <see cref="EnvelopeCheck.IsKestrelRejection"/>).</summary>
    public int KestrelRejections { get; private set; }

    public TimeSpan Elapsed => clock.Elapsed;

    private readonly Stopwatch clock = new();
    private readonly Dictionary<string, TimeSpan> timeByRoute = [];
    private readonly List<(TimeSpan Time, string Case)> slowest = [];

    private readonly HttpClient client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        // Headers go out as UTF-8 bytes, so unicode keys and ids reach the server as a client could send them.
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task RunAsync(IEnumerable<HostileRequest> requests)
    {
        clock.Start();
        foreach (var request in requests)
        {
            await SendAsync(request);
        }

        clock.Stop();
    }

    private async Task SendAsync(HostileRequest request)
    {
        HttpRequestMessage message;
        try
        {
            message = request.ToMessage(server.BaseAddress, key, MnemoServer.AdminToken);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or UriFormatException)
        {
            NotSent++;
            return;
        }

        using (message)
        {
            HostileResponse response;
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var answer = await client.SendAsync(message);
                var headers = answer.Headers.Concat(answer.Content.Headers)
                    .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
                response = new HostileResponse((int)answer.StatusCode, headers, await answer.Content.ReadAsByteArrayAsync());
            }
            catch (HttpRequestException e) when (e.InnerException is FormatException or InvalidOperationException or ArgumentException)
            {
                NotSent++;
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Sent++;
                Failures.Add(new Failure(request, null, $"no answer: {e.GetType().Name}: {e.Message}"));
                return;
            }

            Sent++;
            var route = request.Route.ToString();
            var took = Stopwatch.GetElapsedTime(started);
            timeByRoute[route] = timeByRoute.GetValueOrDefault(route) + took;
            slowest.Add((took, $"#{request.Number} {route} [{request.Case}] {response.Status}"));
            Statuses[response.Status] = Statuses.GetValueOrDefault(response.Status) + 1;
            if (EnvelopeCheck.IsKestrelRejection(request, response))
            {
                KestrelRejections++;
                return;
            }

            if (EnvelopeCheck.Problem(request, response) is not { } problem)
            {
                return;
            }

            Failures.Add(new Failure(request, response, problem));
        }
    }

    /// <summary>The pass in numbers.</summary>
    public string Summary(string pass)
    {
        var text = new StringBuilder();
        text.AppendLine($"{pass}: {Sent} requests in {Elapsed.TotalSeconds:F1} s ({NotSent} refused by the client library, {KestrelRejections} refused by Kestrel itself), {Failures.Count} failures");
        text.AppendLine("  statuses: " + string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        text.AppendLine("  slowest routes: " + string.Join(", ", timeByRoute.OrderByDescending(t => t.Value).Take(5)
            .Select(t => $"{t.Key} {t.Value.TotalSeconds:F1} s")));
        text.AppendLine("  slowest requests: " + string.Join("; ", slowest.OrderByDescending(t => t.Time).Take(12)
            .Select(t => $"{t.Case} {t.Time.TotalMilliseconds:F0} ms")));
        return text.ToString();
    }

    /// <summary>The failures, one per route and problem, enough to replay each by hand.</summary>
    public string FailureReport(int max = 30)
    {
        var distinct = Failures.GroupBy(f => (f.Request.Route.ToString(), f.Problem, f.Response?.Status)).Select(g => g.First()).ToList();
        var text = new StringBuilder();
        text.AppendLine($"{Failures.Count} hostile requests broke the contract ({distinct.Count} distinct route/problem pairs; first {Math.Min(max, distinct.Count)} shown).");
        text.AppendLine($"Replay: MNEMO_FUZZ_SEED={FuzzSettings.Seed} MNEMO_FUZZ_COUNT={FuzzSettings.Count} dotnet test --filter FullyQualifiedName~Hostile");
        foreach (var failure in distinct.Take(max))
        {
            text.Append(failure.Describe());
        }

        return text.ToString();
    }

    public void Dispose() => client.Dispose();
}
