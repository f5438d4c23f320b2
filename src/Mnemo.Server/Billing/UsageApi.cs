using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Billing;

/// <summary>GET /api/v1/usage: the caller's balance and ledger, newest first, cursor-paged.</summary>
public static class UsageApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public sealed record UsageEntry(
        long Id, long Amount, long BalanceAfter, string Kind, string Reason, string Actor,
        string? Reference, string? RequestId, DateTime CreatedAt);

    public sealed record Usage(long Balance, IReadOnlyList<UsageEntry> Entries, string? NextCursor);

    /// <summary>One UTC day: charged requests (reservations made) and credits spent (net of settles and refunds; top-ups excluded).</summary>
    public sealed record Day(DateOnly Date, int Requests, long Credits);

    public sealed record Daily(IReadOnlyList<Day> Days);

    public const int MaxDays = 90;

    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder memic)
    {
        memic.MapGet("/usage", GetUsage)
            .WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("The account's credit balance and its ledger (every change: who, what, amount, request id), newest first.");
        memic.MapGet("/usage/daily", GetDaily)
            .WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("A Mnemo addition: per UTC day of the last `days` (default 14, at most 90), the charged requests and the credits spent.");
        return memic;
    }

    private static async Task<Results<Ok<Daily>, ApiError>> GetDaily(Caller caller, MnemoDb db, TimeProvider time, CancellationToken ct, int days = 14)
    {
        if (days is < 1 or > MaxDays)
        {
            return ApiError.Unprocessable($"days must be between 1 and {MaxDays}.");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var since = today.AddDays(1 - days).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = await db.Ledger.AsNoTracking()
            .Where(l => l.AccountId == caller.AccountId && l.CreatedAt >= since && l.Kind != LedgerKinds.Adjust)
            .Select(l => new { l.CreatedAt, l.Kind, l.Amount })
            .ToListAsync(ct);
        var byDay = rows.ToLookup(r => DateOnly.FromDateTime(r.CreatedAt));
        return TypedResults.Ok(new Daily([.. Enumerable.Range(0, days).Select(i =>
        {
            var day = today.AddDays(i + 1 - days);
            return new Day(day, byDay[day].Count(r => r.Kind == LedgerKinds.Reserve), -byDay[day].Sum(r => r.Amount));
        })]));
    }

    private static async Task<Results<Ok<Usage>, ApiError>> GetUsage(
        Caller caller, MnemoDb db, string? cursor, string? limit, CancellationToken ct)
    {
        var take = DefaultLimit;
        if (!string.IsNullOrEmpty(limit))
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take))
            {
                return ApiError.InvalidRequest("limit must be an integer.");
            }

            if (take is < 1 or > MaxLimit)
            {
                return ApiError.Unprocessable($"limit must be between 1 and {MaxLimit}.");
            }
        }

        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return ApiError.InvalidRequest("cursor is not a cursor this API returned.");
            }

            before = id;
        }

        var balance = await db.Accounts.Where(a => a.Id == caller.AccountId).Select(a => a.Balance).SingleAsync(ct);
        var query = db.Ledger.AsNoTracking().Where(l => l.AccountId == caller.AccountId);
        if (before is { } b)
        {
            query = query.Where(l => l.Id < b);
        }

        var page = await query.OrderByDescending(l => l.Id).Take(take + 1)
            .ToListAsync(ct);
        var next = page.Count > take ? page[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        var entries = page.Take(take).Select(l => new UsageEntry(l.Id, l.Amount, l.BalanceAfter, l.Kind, l.Reason, l.Actor,
            l.Reference, l.RequestId, DateTime.SpecifyKind(l.CreatedAt, DateTimeKind.Utc))).ToList();
        return TypedResults.Ok(new Usage(balance, entries, next));
    }
}
