using Mnemo.Server.Assets;

namespace Mnemo.Server.Surfaces.MemoriesV2;

/// <summary>CONTRACT.md "Asset status": the one lifecycle in v2's words.</summary>
public static class V2Status
{
    public static string Of(AssetStatus status) => status switch
    {
        AssetStatus.Processing => "UPLOADING",
        AssetStatus.Ready => "SUCCESS",
        AssetStatus.Failed => "FAILED",
        _ => "WAITING",
    };
}
