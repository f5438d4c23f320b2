using Mnemo.Server.Assets;

namespace Mnemo.Server.Billing;

/// <summary>
/// Paying for a parse: an estimate from the size is reserved in the transaction that queues the job;
/// the commit that ends the job settles it to the real price (minutes of video or audio, pages of a
/// document, one page for an image) or refunds it when the parse failed.
/// </summary>
public sealed class IndexingCharges(Charges charges, Prices prices)
{
    public static string Reference(long jobId) => $"parse:{jobId}";

    public Task ReserveAsync(Asset asset, long jobId, string actor, string? requestId, CancellationToken ct) =>
        charges.ReserveAsync(asset.AccountId, actor, prices.IndexingEstimate(asset.Size, IsTimed(asset)), Reference(jobId), requestId, ct);

    /// <summary>The smallest indexing charge: what an account must at least hold before an upload's body is read.</summary>
    public Charge Minimum => prices.IndexingEstimate(0, isVideo: false);

    public Task SettleAsync(Asset asset, long jobId, CancellationToken ct) =>
        charges.SettleAsync(asset.AccountId, Reference(jobId), Actual(asset), null, ct);

    public Task RefundAsync(Asset asset, long jobId, string cause, CancellationToken ct) =>
        charges.RefundAsync(asset.AccountId, Reference(jobId), $"parse failed: {cause}", null, ct);

    private Charge Actual(Asset asset) => asset.Kind switch
    {
        AssetKind.Video or AssetKind.Audio => prices.VideoIndexing((asset.DurationSeconds ?? 0) / 60),
        AssetKind.Image => prices.DocumentIndexing(1),
        _ => asset.PageCount is { } pages ? prices.DocumentIndexing(Math.Max(1, pages)) : prices.IndexingEstimate(asset.Size, isVideo: false),
    };

    private static bool IsTimed(Asset asset) => asset.Kind is AssetKind.Video or AssetKind.Audio;
}
