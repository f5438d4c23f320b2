using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>Files made to hurt a parser (decompression bombs, page floods), written by code in a test's own folder.</summary>
public static class HostileFiles
{
    private const string WordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// <summary>A DOCX whose document.xml holds one paragraph of <paramref name="zeros"/> '0' characters: tiny zipped, huge unpacked.</summary>
    public static string ZeroBombDocx(string dir, long zeros) => Docx(Path.Combine(dir, "bomb.docx"), body =>
    {
        body.Write("<w:p><w:r><w:t>"u8);
        var block = new byte[1 << 20];
        Array.Fill(block, (byte)'0');
        for (var left = zeros; left > 0; left -= block.Length)
        {
            body.Write(block, 0, (int)Math.Min(block.Length, left));
        }

        body.Write("</w:t></w:r></w:p>"u8);
    });

    /// <summary>A DOCX of <paramref name="paragraphs"/> paragraphs of varied words (about 1900 characters each): compresses like real text.</summary>
    public static string TextDocx(string path, int paragraphs, int extraEntries = 0) => Docx(path, body =>
    {
        foreach (var paragraph in Paragraphs(paragraphs))
        {
            body.Write(Encoding.UTF8.GetBytes($"<w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>"));
        }
    }, extraEntries);

    /// <summary>Paragraphs of pseudo-random words, about 1900 characters each, so each is one chunk.</summary>
    public static IEnumerable<string> Paragraphs(int count, int seed = 17)
    {
        var random = new Random(seed);
        for (var p = 0; p < count; p++)
        {
            var text = new StringBuilder();
            while (text.Length < 1900)
            {
                for (var c = random.Next(3, 9); c > 0; c--)
                {
                    text.Append((char)('a' + random.Next(26)));
                }

                text.Append(' ');
            }

            yield return text.ToString().TrimEnd();
        }
    }

    /// <summary>
    /// Rewrites the uncompressed size every header of <paramref name="entry"/> declares, as a bomb that
    /// lies about itself would (the CRC stays the real one).
    /// </summary>
    public static void DeclareUncompressedSize(string path, string entry, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(entry);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            var (nameAt, sizeAt) = signature switch
            {
                0x04034b50 => (30, 22), // local file header
                0x02014b50 => (46, 24), // central directory header
                _ => (-1, -1),
            };
            if (nameAt > 0 && bytes.AsSpan(i + nameAt).StartsWith(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + sizeAt), size);
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A PDF of <paramref name="pages"/> pages that all show one shared content stream: many pages, few bytes.</summary>
    public static string ManyPagePdf(string path, int pages, string text = "A page about llamas")
    {
        using var file = new StreamWriter(path, false, Encoding.ASCII);
        var offsets = new List<long>();
        long at = 0;
        void Write(string s)
        {
            file.Write(s);
            at += s.Length;
        }

        void Object(string body)
        {
            offsets.Add(at);
            Write($"{offsets.Count} 0 obj\n{body}\nendobj\n");
        }

        Write("%PDF-1.4\n");
        Object("<< /Type /Catalog /Pages 2 0 R >>");
        Object($"<< /Type /Pages /Kids [{string.Join(" ", Enumerable.Range(5, pages).Select(i => $"{i} 0 R"))}] /Count {pages} >>");
        Object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        var stream = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
        Object($"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream");
        for (var i = 0; i < pages; i++)
        {
            Object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>");
        }

        var xref = at;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }

        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return path;
    }

    private static string Docx(string path, Action<Stream> writeBody, int extraEntries = 0)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "[Content_Types].xml",
            """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""");
        Add(zip, "_rels/.rels",
            """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""");
        using (var body = zip.CreateEntry("word/document.xml", CompressionLevel.Optimal).Open())
        {
            body.Write(Encoding.UTF8.GetBytes($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{WordNs}"><w:body>"""));
            writeBody(body);
            body.Write("</w:body></w:document>"u8);
        }

        for (var i = 0; i < extraEntries; i++)
        {
            Add(zip, $"customXml/item{i}.xml", "<item/>");
        }

        return path;
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
