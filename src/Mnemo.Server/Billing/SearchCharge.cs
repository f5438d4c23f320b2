using Mnemo.Server.Accounts;
using Mnemo.Server.Hosting;

namespace Mnemo.Server.Billing;

/// <summary>
/// The price of one search, whatever answers it (words and meaning, a picture, a face), reserved within the
/// request: per its Idempotency-Key when it has one (<see cref="Charges.ReferenceFor"/>), so a retried search is
/// not charged twice.
/// </summary>
public sealed class SearchCharge(Charges charges, Prices prices, CurrentRequest request)
{
    public Task<long> PayAsync(Caller caller, CancellationToken ct)
    {
        var context = request.HttpContext ?? throw new InvalidOperationException("A search is paid within a request.");
        return charges.ReserveAsync(caller, prices.Search(), Charges.ReferenceFor(context, "search"), context.TraceIdentifier, ct);
    }
}
