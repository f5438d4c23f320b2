using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Tools;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Mnemo.Server.Processing;

/// <summary>
/// Documents as text chunks: PDF per page (pdftotext), Office files via OpenXml, text formats as they are.
/// Every format reads at most the text the chunks-per-file limit allows and stops there; an Office file
/// passes <see cref="ArchiveGuard"/> first and is then read as a stream, never as a whole DOM; a PDF's pages
/// are paid for (<see cref="ParseBudget"/>) before its text is extracted.
/// </summary>
public sealed partial class DocumentParser(ToolRunner tools, IOptions<ProcessingOptions> options)
{
    public async Task ParseAsync(string path, FileFormat format, ParseResult result, ParseBudget budget, CancellationToken ct)
    {
        result.Media.Kind = AssetKind.Document;
        var o = options.Value;
        var text = new TextBudget(o);
        var pages = format.Name switch
        {
            "pdf" => await PdfPagesAsync(path, text, budget, ct),
            "docx" => Office(path, o, () => [Docx(path, text)]),
            "pptx" => Office(path, o, () => Pptx(path, text)),
            "xlsx" => Office(path, o, () => Xlsx(path, text)),
            "html" => [text.Take(Html(await File.ReadAllTextAsync(path, ct)))],
            "srt" or "vtt" => Transcript(await text.ReadAsync(path, ct), result),
            _ => [await text.ReadAsync(path, ct)],
        };
        if (format.Name is "pdf" or "pptx" or "xlsx")
        {
            result.Media.PageCount = pages.Count;
        }

        var numbered = format.Name is "pdf" or "pptx" or "xlsx";
        for (var i = 0; i < pages.Count; i++)
        {
            foreach (var piece in TextChunker.Split(pages[i], numbered ? i + 1 : null, o.ChunkChars))
            {
                result.Text.Add(piece);
                text.CountChunk(result.Text.Count);
            }
        }
    }

    private async Task<List<string>> PdfPagesAsync(string path, TextBudget text, ParseBudget budget, CancellationToken ct)
    {
        // The page count costs a look at the page tree; the text of ten thousand pages costs far more.
        var info = await tools.RunAsync("pdfinfo", [path], ct);
        if (info.ExitCode == 0 && PdfPages().Match(info.Stdout) is { Success: true } match
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            await budget.CoverAsync(AssetKind.Document, null, count, 0, ct);
        }

        var run = await tools.RunAsync("pdftotext", ["-enc", "UTF-8", path, "-"], ct, maxStdoutChars: text.MaxChars);
        if (run.StdoutOverLimit)
        {
            throw text.OverLimit();
        }

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

    private static List<string> Office(string path, ProcessingOptions limits, Func<List<string>> read)
    {
        try
        {
            ArchiveGuard.Check(path, limits);
            return read();
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or System.Xml.XmlException)
        {
            throw new ParseFailedException($"The Office file cannot be opened: {e.Message}");
        }
    }

    private static string Docx(string path, TextBudget text)
    {
        using var doc = WordprocessingDocument.Open(path, false);
        return doc.MainDocumentPart is { } main ? Paragraphs(main, typeof(W.Paragraph), "\n\n", text) : "";
    }

    private static List<string> Pptx(string path, TextBudget text)
    {
        using var doc = PresentationDocument.Open(path, false);
        var presentation = doc.PresentationPart;
        var ids = presentation?.Presentation?.SlideIdList?.Elements<DocumentFormat.OpenXml.Presentation.SlideId>().ToList() ?? [];
        return [.. ids.Select(id => presentation!.GetPartById(id.RelationshipId!.Value!) is SlidePart slide
            ? Paragraphs(slide, typeof(DocumentFormat.OpenXml.Drawing.Paragraph), "\n", text).TrimEnd('\n')
            : "")];
    }

    private static List<string> Xlsx(string path, TextBudget text)
    {
        using var doc = SpreadsheetDocument.Open(path, false);
        var workbook = doc.WorkbookPart;
        var shared = new List<string>();
        if (workbook?.SharedStringTablePart is { } strings)
        {
            using var reader = OpenXmlReader.Create(strings);
            while (reader.Read())
            {
                if (reader.IsStartElement && reader.ElementType == typeof(S.SharedStringItem))
                {
                    shared.Add(text.Take(reader.LoadCurrentElement()!.InnerText));
                }
            }
        }

        var sheets = new List<string>();
        foreach (var sheet in workbook?.WorksheetParts ?? [])
        {
            var rows = new StringBuilder();
            using var reader = OpenXmlReader.Create(sheet);
            while (reader.Read())
            {
                if (reader.IsStartElement && reader.ElementType == typeof(S.Row))
                {
                    var row = string.Join("\t", reader.LoadCurrentElement()!.Elements<S.Cell>().Select(cell =>
                        cell.DataType?.Value == S.CellValues.SharedString
                        && int.TryParse(cell.CellValue?.Text, out var i) && i >= 0 && i < shared.Count ? shared[i] : cell.InnerText));
                    if (rows.Length > 0)
                    {
                        text.Append(rows, "\n");
                    }

                    text.Append(rows, row);
                }
            }

            sheets.Add(rows.ToString());
        }

        return sheets;
    }

    /// <summary>The part's text, one element at a time: each piece of text, and a break after each paragraph.</summary>
    private static string Paragraphs(OpenXmlPart part, Type paragraph, string breakAfter, TextBudget text)
    {
        var content = new StringBuilder();
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.IsStartElement && typeof(OpenXmlLeafTextElement).IsAssignableFrom(reader.ElementType))
            {
                text.Append(content, reader.GetText());
            }
            else if (reader.IsEndElement && reader.ElementType == paragraph)
            {
                text.Append(content, breakAfter);
            }
        }

        return content.ToString();
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
        result.Media.DurationSeconds = segments.Max(s => s.EndSeconds);
        return [string.Join("\n", segments.Select(s => s.Content))];
    }

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex("</?(p|div|br|h[1-6]|li|tr|section|article)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"^Pages:\s+(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PdfPages();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex AnyTag();
}
