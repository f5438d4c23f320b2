using Mnemo.Server.Assets;

namespace Mnemo.Server.Billing;

/// <summary>
/// Paying for a parse: an estimate from the size is reserved in the transaction that queues the job; the
/// parse raises it to the real price (<see cref="CoverAsync"/>) as soon as it knows it (a PDF's page count,
/// and at the latest once parsed, before anything is written), and fails when the balance cannot pay; the
/// commit that ends the job settles it to that price (minutes of video or audio, pages or text of a
/// document, one page for an image) or refunds it when the parse failed.
/// </summary>
public sealed class IndexingCharges(Charges charges, Prices prices)
{
    public static string Reference(long jobId) => $"parse:{jobId}";

    public Task ReserveAsync(Asset asset, long jobId, string actor, string? requestId, CancellationToken ct) =>
        charges.ReserveAsync(asset.AccountId, actor, prices.IndexingEstimate(asset.Size, IsTimed(asset)), Reference(jobId), requestId, ct);

    /// <summary>The smallest indexing charge: what an account must at least hold before an upload's body is read.</summary>
    public Charge Minimum => prices.IndexingEstimate(0, isVideo: false);

    public Task<Charges.Coverage> CoverAsync(Asset asset, long jobId, Charge price, CancellationToken ct) =>
        charges.CoverAsync(asset.AccountId, Reference(jobId), price, ct);

    /// <param name="textChars">The characters of text the parse yielded (documents are billed by their text too).</param>
    public Task SettleAsync(Asset asset, long jobId, long textChars, CancellationToken ct) =>
        charges.SettleAsync(asset.AccountId, Reference(jobId), Price(asset.Media.Kind, asset.Media.DurationSeconds, asset.Media.PageCount, textChars), null, ct);

    public Task RefundAsync(Asset asset, long jobId, string cause, CancellationToken ct) =>
        charges.RefundAsync(asset.AccountId, Reference(jobId), $"parse failed: {cause}", null, ct);

    /// <summary>The price of what a parse really processed.</summary>
    public Charge Price(AssetKind? kind, double? durationSeconds, int? pages, long textChars) => kind switch
    {
        AssetKind.Video or AssetKind.Audio => prices.VideoIndexing((durationSeconds ?? 0) / 60),
        AssetKind.Image => prices.DocumentIndexing(1),
        _ => prices.DocumentIndexing(pages, textChars),
    };

    private static bool IsTimed(Asset asset) => asset.Media.Kind is AssetKind.Video or AssetKind.Audio;
}
