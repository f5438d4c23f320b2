using System.Text;

namespace Mnemo.Server.Processing;

/// <summary>
/// The text one document may yield: <see cref="ProcessingOptions.MaxChunksPerAsset"/> chunks, so at most that
/// many times <see cref="ProcessingOptions.ChunkChars"/> characters. Readers count as they go and stop at the
/// limit, so a flood of text fails early instead of filling memory first.
/// </summary>
public sealed class TextBudget(ProcessingOptions options)
{
    private long used;

    public int MaxChars { get; } = (int)Math.Min(int.MaxValue - 1, (long)options.MaxChunksPerAsset * options.ChunkChars);

    public ParseFailedException OverLimit() => new(
        $"The file's text is over the limit of {options.MaxChunksPerAsset} chunks per file (about {options.ChunkChars} characters each); nothing was indexed.");

    public string Take(string text)
    {
        used += text.Length;
        return used > MaxChars ? throw OverLimit() : text;
    }

    public void Append(StringBuilder to, string text) => to.Append(Take(text));

    /// <summary>A text file, read only up to the limit.</summary>
    public async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[1 << 16];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            Append(text, new string(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>Called with the running count of chunks made.</summary>
    public void CountChunk(int chunks)
    {
        if (chunks > options.MaxChunksPerAsset)
        {
            throw OverLimit();
        }
    }
}
