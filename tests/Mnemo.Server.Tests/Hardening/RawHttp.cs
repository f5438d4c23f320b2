using System.Net.Sockets;
using System.Text;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>
/// Sends bytes HttpClient refuses to send (a bad chunk size, Content-Length with Transfer-Encoding) and
/// reads the answer back as an HttpResponseMessage.
/// </summary>
public static class RawHttp
{
    public static async Task<HttpResponseMessage> SendAsync(Uri server, string head, string body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n" + body));
        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[8192];
        int n;
        while ((n = await ReadAsync(stream, buffer, timeout.Token)) > 0)
        {
            read.Write(buffer, 0, n);
            if (Parse(read.ToArray()) is { } complete)
            {
                return complete;
            }
        }

        return Parse(read.ToArray()) ?? throw new ShouldAssertException("No complete HTTP response: " + Encoding.ASCII.GetString(read.ToArray()));
    }

    private static async Task<int> ReadAsync(NetworkStream stream, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await stream.ReadAsync(buffer, ct);
        }
        catch (IOException)
        {
            return 0; // the server closed after answering
        }
    }

    private static HttpResponseMessage? Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var lines = text[..end].Split("\r\n");
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        var headers = lines.Skip(1).Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
        var rest = text[(end + 4)..];
        string? body;
        if (headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(rest);
        }
        else
        {
            var length = headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Value, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            body = Encoding.UTF8.GetByteCount(rest) >= length ? rest : null;
        }

        if (body is null)
        {
            return null;
        }

        response.Content = new StringContent(body);
        response.Content.Headers.Clear();
        foreach (var (name, value) in headers.Where(h => !h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    private static string? Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return null;
            }

            var size = Convert.ToInt32(chunked[at..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                return body.ToString();
            }

            if (lineEnd + 2 + size > chunked.Length)
            {
                return null;
            }

            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
