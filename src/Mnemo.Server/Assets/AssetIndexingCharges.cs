using Mnemo.Server.Billing;

namespace Mnemo.Server.Assets;

/// <summary>
/// <see cref="IndexingCharges"/> for an asset: Billing knows accounts and prices, not assets, so what it needs
/// (the account, the size, the kind's unit) is read off the asset here.
/// </summary>
public static class AssetIndexingCharges
{
    public static Task ReserveAsync(this IndexingCharges indexing, Asset asset, long jobId, string actor, string? requestId, CancellationToken ct) =>
        indexing.ReserveAsync(asset.AccountId, asset.Size, IsTimed(asset.Media.Kind), jobId, actor, requestId, ct);

    public static Task<Charges.Coverage> CoverAsync(this IndexingCharges indexing, Asset asset, long jobId, Charge price, CancellationToken ct) =>
        indexing.CoverAsync(asset.AccountId, jobId, price, ct);

    /// <param name="textChars">The characters of text the parse yielded (documents are billed by their text too).</param>
    public static Task SettleAsync(this IndexingCharges indexing, Asset asset, long jobId, long textChars, CancellationToken ct) =>
        indexing.SettleAsync(asset.AccountId, jobId, indexing.Price(asset.Media.Kind, asset.Media.DurationSeconds, asset.Media.PageCount, textChars), ct);

    public static Task RefundAsync(this IndexingCharges indexing, Asset asset, long jobId, string cause, CancellationToken ct) =>
        indexing.RefundAsync(asset.AccountId, jobId, cause, ct);

    /// <summary>The price of what a parse really processed.</summary>
    public static Charge Price(this IndexingCharges indexing, AssetKind? kind, double? durationSeconds, int? pages, long textChars) => kind switch
    {
        AssetKind.Video or AssetKind.Audio => indexing.TimedPrice(durationSeconds),
        AssetKind.Image => indexing.PagesPrice(1, 0),
        _ => indexing.PagesPrice(pages, textChars),
    };

    private static bool IsTimed(AssetKind? kind) => kind is AssetKind.Video or AssetKind.Audio;
}
