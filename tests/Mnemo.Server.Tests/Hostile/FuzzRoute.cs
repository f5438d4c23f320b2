using System.Text.Json.Nodes;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>Which envelope a surface answers errors in; the admin API answers in memic's.</summary>
public enum FuzzSurface
{
    MemoriesV1,
    MemoriesV2,
    Memic,
    Admin,
}

/// <summary>A path, query or header parameter of a route, with its JSON schema.</summary>
public sealed record FuzzParameter(string Name, string In, JsonNode Schema);

/// <summary>
/// One route as its OpenAPI document (or, for /admin, its endpoint metadata) declares it: enough to
/// build a well-formed request and then break it in every way.
/// </summary>
public sealed record FuzzRoute(
    FuzzSurface Surface,
    string Method,
    string Template,
    IReadOnlyList<FuzzParameter> Parameters,
    IReadOnlyList<string> ContentTypes,
    JsonNode? BodySchema,
    IReadOnlyList<string> AliasPrefixes)
{
    public IEnumerable<FuzzParameter> InPath => Parameters.Where(p => p.In == "path");

    public IEnumerable<FuzzParameter> InQuery => Parameters.Where(p => p.In == "query");

    public bool TakesJson => ContentTypes.Contains("application/json");

    public bool TakesMultipart => ContentTypes.Contains("multipart/form-data");

    public bool IsDownload => Template.EndsWith("/download", StringComparison.Ordinal) || Template.Contains("/clips/", StringComparison.Ordinal);

    /// <summary>The one-time upload URLs: the URL is the credential, and the body is raw bytes.</summary>
    public bool IsUploadUrl => Method == "PUT" && Template.Contains("/uploads/{token}", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Template}";
}
