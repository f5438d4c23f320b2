using System.Globalization;
using Mnemo.Client;
using Spectre.Console;

namespace Mnemo.Cli.Commands;

/// <summary>Human-readable renderings of the SDK's records.</summary>
internal static class Output
{
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
    };

    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Status(string status) => status switch
    {
        FileStatus.Ready => "[green]ready[/]",
        _ when FileStatus.IsFailure(status) => $"[red]{Markup.Escape(status)}[/]",
        _ => Markup.Escape(status),
    };

    public static Table FilesTable(IEnumerable<MnemoFile> files)
    {
        var table = new Table().AddColumns("id", "name", "status", "size", "created");
        table.Columns[0].NoWrap();
        foreach (var f in files)
        {
            table.AddRow(f.Id.ToString(), Markup.Escape(f.Name), Status(f.Status), Size(f.Size), Time(f.CreatedAt));
        }

        return table;
    }

    public static Grid FileDetail(MnemoFile f)
    {
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                grid.AddRow(name, Markup.Escape(value));
            }
        }

        Row("id", f.Id.ToString());
        Row("name", f.Name);
        grid.AddRow("status", Status(f.Status));
        Row("error", f.ErrorMessage);
        Row("size", Size(f.Size));
        Row("mime type", f.MimeType);
        Row("chunks", f.TotalChunks.ToString(CultureInfo.InvariantCulture));
        Row("pages", f.PageCount?.ToString(CultureInfo.InvariantCulture));
        Row("reference id", f.ReferenceId);
        Row("environment", f.EnvironmentSlug);
        Row("created", Time(f.CreatedAt));
        Row("updated", Time(f.UpdatedAt));
        if (f.Extracted is { } x)
        {
            Row("duration", x.DurationSeconds is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d:0.##} s") : null);
            Row("resolution", x.Width is { } w && x.Height is { } h ? $"{w}x{h}" : null);
            Row("codecs", string.Join(", ", new[] { x.VideoCodec, x.AudioCodec }.OfType<string>()));
            Row("format", x.Format);
        }

        return grid;
    }

    /// <summary>Where a hit is: a page, a time range, or nothing.</summary>
    public static string Where(int? page, double? start, double? end) =>
        page is { } p ? $"p. {p}"
        : start is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.#}s–{end ?? s:0.#}s")
        : "";

    public static string Snippet(string text, int max = 80)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length > max ? flat[..max] + "…" : flat;
    }
}

/// <summary>Reports on the calling thread, so a progress bar never sees counts out of order.</summary>
internal sealed class InlineProgress(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}
