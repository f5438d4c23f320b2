using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;

namespace Mnemo.Server.Processing;

/// <summary>Documents as text chunks: PDF per page (pdftotext), Office files via OpenXml, text formats as they are.</summary>
public sealed partial class DocumentParser(ToolRunner tools, IOptions<ProcessingOptions> options)
{
    public async Task ParseAsync(string path, FileFormat format, ParseResult result, CancellationToken ct)
    {
        result.Kind = AssetKind.Document;
        var pages = format.Name switch
        {
            "pdf" => await PdfPagesAsync(path, ct),
            "docx" => Office(() => [Docx(path)]),
            "pptx" => Office(() => Pptx(path)),
            "xlsx" => Office(() => Xlsx(path)),
            "html" => [Html(await File.ReadAllTextAsync(path, ct))],
            "srt" or "vtt" => Transcript(await File.ReadAllTextAsync(path, ct), result),
            _ => [await File.ReadAllTextAsync(path, ct)],
        };
        if (format.Name is "pdf" or "pptx" or "xlsx")
        {
            result.PageCount = pages.Count;
        }

        var numbered = format.Name is "pdf" or "pptx" or "xlsx";
        for (var i = 0; i < pages.Count; i++)
        {
            result.Text.AddRange(TextChunker.Split(pages[i], numbered ? i + 1 : null, options.Value.ChunkChars));
        }
    }

    private async Task<List<string>> PdfPagesAsync(string path, CancellationToken ct)
    {
        var run = await tools.RunAsync("pdftotext", ["-enc", "UTF-8", path, "-"], ct);
        if (run.ExitCode != 0)
        {
            throw new ParseFailedException($"pdftotext cannot read the PDF: {run.LastError()}");
        }

        var pages = run.Stdout.Split('\f').ToList();
        if (pages.Count > 1 && pages[^1].Trim().Length == 0)
        {
            pages.RemoveAt(pages.Count - 1); // pdftotext ends every page with a form feed
        }

        return pages;
    }

    private static List<string> Office(Func<List<string>> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or System.Xml.XmlException)
        {
            throw new ParseFailedException($"The Office file cannot be opened: {e.Message}");
        }
    }

    private static string Docx(string path)
    {
        using var doc = WordprocessingDocument.Open(path, false);
        var body = doc.MainDocumentPart?.Document?.Body;
        if (body is null)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var paragraph in body.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>())
        {
            text.Append(paragraph.InnerText).Append("\n\n");
        }

        return text.ToString();
    }

    private static List<string> Pptx(string path)
    {
        using var doc = PresentationDocument.Open(path, false);
        var presentation = doc.PresentationPart;
        var ids = presentation?.Presentation?.SlideIdList?.Elements<DocumentFormat.OpenXml.Presentation.SlideId>() ?? [];
        return [.. ids.Select(id => presentation!.GetPartById(id.RelationshipId!.Value!) as SlidePart)
            .Select(slide => string.Join("\n", slide?.Slide?.Descendants<DocumentFormat.OpenXml.Drawing.Paragraph>().Select(p => p.InnerText) ?? []))];
    }

    private static List<string> Xlsx(string path)
    {
        using var doc = SpreadsheetDocument.Open(path, false);
        var workbook = doc.WorkbookPart;
        var shared = workbook?.SharedStringTablePart?.SharedStringTable?.Elements<DocumentFormat.OpenXml.Spreadsheet.SharedStringItem>()
            .Select(s => s.InnerText).ToList() ?? [];
        var sheets = new List<string>();
        foreach (var sheet in workbook?.WorksheetParts ?? [])
        {
            var rows = sheet.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Select(row => string.Join("\t",
                row.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(cell =>
                    cell.DataType?.Value == DocumentFormat.OpenXml.Spreadsheet.CellValues.SharedString
                    && int.TryParse(cell.CellValue?.Text, out var i) && i < shared.Count ? shared[i] : cell.InnerText)));
            sheets.Add(string.Join("\n", rows));
        }

        return sheets;
    }

    private static string Html(string html)
    {
        var withoutCode = ScriptOrStyle().Replace(html, " ");
        var blocks = BlockTag().Replace(withoutCode, "\n");
        return WebUtility.HtmlDecode(AnyTag().Replace(blocks, " "));
    }

    private static List<string> Transcript(string text, ParseResult result)
    {
        var segments = Subtitles.Parse(text);
        if (segments.Count == 0)
        {
            throw new ParseFailedException("The subtitle file has no cue with a timing line (HH:MM:SS,mmm --> HH:MM:SS,mmm).");
        }

        result.Transcript.AddRange(segments);
        result.DurationSeconds = segments.Max(s => s.EndSeconds);
        return [string.Join("\n", segments.Select(s => s.Content))];
    }

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex("</?(p|div|br|h[1-6]|li|tr|section|article)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex AnyTag();
}
