using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Mnemo.Server.Hosting;

/// <summary>
/// Every request gets one id: a well-formed incoming X-Request-Id, else the W3C traceparent's trace id,
/// else a new one. It becomes the HttpContext's TraceIdentifier in the first middleware
/// (<see cref="CurrentRequest"/>), so every log line of the request carries it
/// (<see cref="RedactingLoggerFactory"/> reads it when a line is written), and it goes back in
/// X-Request-Id. Set there rather than by a context factory of our own, because hosting reuses a
/// connection's HttpContext only with its default factory.
/// </summary>
public static partial class RequestIds
{
    public const string Header = "X-Request-Id";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")]
    private static partial Regex WellFormed();

    [GeneratedRegex("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")]
    private static partial Regex TraceParent();

    public static string From(IHeaderDictionary headers)
    {
        var incoming = headers[Header].ToString();
        if (incoming.Length > 0 && WellFormed().IsMatch(incoming))
        {
            return incoming;
        }

        var traceParent = headers["traceparent"].ToString();
        if (traceParent.Length > 0 && TraceParent().Match(traceParent) is { Success: true } match && match.Groups[1].Value.Any(c => c != '0'))
        {
            return "req_" + match.Groups[1].Value;
        }

        return NewId();
    }

    // 64 random bits drawn once per process, then a counter: unique across instances and restarts
    // without a random draw (a system call) per request. Same shape as before: req_ + 32 hex digits.
    private static readonly ulong ProcessPart = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
    private static long issued;

    private static string NewId() => string.Create(36, (ulong)Interlocked.Increment(ref issued), static (id, n) =>
    {
        "req_".CopyTo(id);
        ProcessPart.TryFormat(id[4..], out _, "x16", CultureInfo.InvariantCulture);
        n.TryFormat(id[20..], out _, "x16", CultureInfo.InvariantCulture);
    });

    /// <summary>Names the request, and sends the id back on every response, errors and framework answers included.</summary>
    public static void Assign(HttpContext context)
    {
        context.TraceIdentifier = From(context.Request.Headers);
        context.Response.OnStarting(static state =>
        {
            var ctx = (HttpContext)state;
            ctx.Response.Headers[Header] = ctx.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
    }
}
