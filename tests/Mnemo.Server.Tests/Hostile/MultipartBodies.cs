using System.Text;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>multipart/form-data written by hand, so it can be broken anywhere a parser might trip.</summary>
public static class MultipartBodies
{
    public const string Boundary = "fuzzBoundary7MA4YWxkTrZu0gW";
    public const string ContentType = "multipart/form-data; boundary=" + Boundary;

    public sealed record Part(string? Name, string? FileName, string? PartContentType, byte[] Bytes, string? RawHeaders = null);

    public static byte[] TextFile => "A short note about llamas and alpacas.\n"u8.ToArray();

    public static Part File(string field, string fileName = "note.txt", byte[]? bytes = null) =>
        new(field, fileName, "text/plain", bytes ?? TextFile);

    public static Part Field(string name, string value) => new(name, null, null, Encoding.UTF8.GetBytes(value));

    public static byte[] Write(IEnumerable<Part> parts, bool close = true)
    {
        using var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        foreach (var part in parts)
        {
            Text($"--{Boundary}\r\n");
            if (part.RawHeaders is not null)
            {
                Text(part.RawHeaders);
            }
            else
            {
                var disposition = "Content-Disposition: form-data";
                if (part.Name is not null)
                {
                    disposition += $"; name=\"{part.Name}\"";
                }

                if (part.FileName is not null)
                {
                    disposition += $"; filename=\"{part.FileName}\"";
                }

                Text(disposition + "\r\n");
                if (part.PartContentType is not null)
                {
                    Text($"Content-Type: {part.PartContentType}\r\n");
                }
            }

            Text("\r\n");
            body.Write(part.Bytes);
            Text("\r\n");
        }

        if (close)
        {
            Text($"--{Boundary}--\r\n");
        }

        return body.ToArray();
    }
}
