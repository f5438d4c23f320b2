namespace Mnemo.Server.Billing;

/// <summary>
/// Paying for a parse: an estimate from the size is reserved in the transaction that queues the job; the
/// parse raises it to the real price (<see cref="CoverAsync"/>) as soon as it knows it (a PDF's page count,
/// and at the latest once parsed, before anything is written), and fails when the balance cannot pay; the
/// commit that ends the job settles it to that price (minutes of video or audio, pages or text of a
/// document, one page for an image) or refunds it when the parse failed. Assets call it through
/// <c>Assets.AssetIndexingCharges</c>, which reads these values off the asset.
/// </summary>
public sealed class IndexingCharges(Charges charges, Prices prices)
{
    public static string Reference(long jobId) => $"parse:{jobId}";

    /// <param name="timed">Video or audio, estimated by minutes rather than pages.</param>
    public Task ReserveAsync(Guid accountId, long size, bool timed, long jobId, string actor, string? requestId, CancellationToken ct) =>
        charges.ReserveAsync(accountId, actor, prices.IndexingEstimate(size, timed), Reference(jobId), requestId, ct);

    /// <summary>The smallest indexing charge: what an account must at least hold before an upload's body is read.</summary>
    public Charge Minimum => prices.IndexingEstimate(0, isVideo: false);

    public Task<Charges.Coverage> CoverAsync(Guid accountId, long jobId, Charge price, CancellationToken ct) =>
        charges.CoverAsync(accountId, Reference(jobId), price, ct);

    public Task SettleAsync(Guid accountId, long jobId, Charge price, CancellationToken ct) =>
        charges.SettleAsync(accountId, Reference(jobId), price, null, ct);

    public Task RefundAsync(Guid accountId, long jobId, string cause, CancellationToken ct) =>
        charges.RefundAsync(accountId, Reference(jobId), $"parse failed: {cause}", null, ct);

    /// <summary>Minutes of video or audio.</summary>
    public Charge TimedPrice(double? durationSeconds) => prices.VideoIndexing((durationSeconds ?? 0) / 60);

    /// <summary>A document's pages or text (documents are billed by their text too); an image is one page.</summary>
    public Charge PagesPrice(int? pages, long textChars) => prices.DocumentIndexing(pages, textChars);
}
