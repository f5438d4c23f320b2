using Mnemo.Server.Assets;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>CONTRACT.md "Asset status": the one lifecycle in v1's words.</summary>
public static class V1Status
{
    public static string Of(AssetStatus status) => status switch
    {
        AssetStatus.Ready => "PARSE",
        AssetStatus.Failed => "PARSE_ERROR",
        _ => "UNPARSE",
    };
}
