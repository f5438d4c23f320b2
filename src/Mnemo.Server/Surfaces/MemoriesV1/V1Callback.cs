using System.Text.Json;
using Mnemo.Server.Processing;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>v1's callback: <c>{"videoNo":"VI…","status":"PARSE"|"PARSE_ERROR"}</c>, posted when a parse ends.</summary>
public static class V1Callback
{
    public static string Body(AssetFinished finished) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["videoNo"] = AssetIds.V1(finished.AssetId),
        ["status"] = V1Status.Of(finished.Status),
    });
}
