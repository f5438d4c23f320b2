using System.Text.Json;

namespace Mnemo.Server.Assets;

/// <summary>The two metadata keys the Memic SDK lifts onto each search hit and filters by (category, document_type).</summary>
public readonly record struct FileMetadata(string? Category, string? DocumentType)
{
    public static FileMetadata Of(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new FileMetadata(Text(document.RootElement, "category"), Text(document.RootElement, "document_type"))
                : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement metadata, string name) =>
        metadata.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
