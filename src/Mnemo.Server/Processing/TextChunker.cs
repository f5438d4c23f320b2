using Mnemo.Server.Assets;

namespace Mnemo.Server.Processing;

/// <summary>Splits text into chunks of about N characters, at a paragraph or word break where there is one.</summary>
public static class TextChunker
{
    public static IEnumerable<TextPiece> Split(string text, int? page, int chunkChars)
    {
        var start = 0;
        while (start < text.Length)
        {
            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            if (start >= text.Length)
            {
                yield break;
            }

            var end = Math.Min(text.Length, start + chunkChars);
            if (end < text.Length)
            {
                var window = text.AsSpan(start, end - start);
                var cut = window.LastIndexOf("\n\n");
                if (cut < chunkChars / 2)
                {
                    cut = window.LastIndexOfAny(' ', '\n');
                }

                if (cut > 0)
                {
                    end = start + cut;
                }
            }

            var content = text[start..end].Trim();
            if (content.Length > 0)
            {
                yield return new TextPiece(content, page, start);
            }

            start = end;
        }
    }
}
