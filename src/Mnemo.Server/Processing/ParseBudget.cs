using Mnemo.Server.Assets;
using Mnemo.Server.Billing;

namespace Mnemo.Server.Processing;

/// <summary>
/// The credits one parse may spend. Whoever learns what the file really holds (a PDF's page count, a video's
/// length, the text once parsed) raises the job's reservation to that price before the work is done; when the
/// balance cannot pay, the parse fails with that cause, nothing is indexed and the reservation is refunded.
/// </summary>
public sealed class ParseBudget(IndexingCharges indexing, Asset asset, long jobId)
{
    public async Task CoverAsync(AssetKind? kind, double? durationSeconds, int? pages, long textChars, CancellationToken ct)
    {
        var price = indexing.Price(kind, durationSeconds, pages, textChars);
        var coverage = await indexing.CoverAsync(asset, jobId, price, ct);
        if (!coverage.Covered)
        {
            throw new ParseFailedException(
                $"The balance cannot pay for {price.Description} ({price.Credits} credits): {coverage.Reserved} credits were reserved "
                + $"and the balance holds {coverage.Balance} more; nothing was indexed. Top up, then re-parse the file.");
        }
    }
}
