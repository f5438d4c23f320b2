namespace Mnemo.Server.Assets;

/// <summary>CONTRACT.md "Asset status": one lifecycle, named per surface (memic's in Surfaces/Memic/MemicStatus).</summary>
public static class AssetStatusNames
{
    public static string V1(AssetStatus status) => status switch
    {
        AssetStatus.Ready => "PARSE",
        AssetStatus.Failed => "PARSE_ERROR",
        _ => "UNPARSE",
    };

    public static string V2(AssetStatus status) => status switch
    {
        AssetStatus.Processing => "UPLOADING",
        AssetStatus.Ready => "SUCCESS",
        AssetStatus.Failed => "FAILED",
        _ => "WAITING",
    };
}
