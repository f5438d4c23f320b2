using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Faults;

/// <summary>
/// Decides, per request of a key with a fault profile, whether it fails and with which catalog error.
/// One <see cref="Random"/> per key, seeded with the profile's seed and drawn under a lock, so a given
/// seed yields the same sequence of outcomes on this instance. Profiles are re-read after the key-cache
/// time; a profile that did not change keeps its sequence going.
/// </summary>
public sealed class FaultInjector(IOptions<AccountsOptions> accounts, TimeProvider time)
{
    private sealed class Dice(KeyFault profile)
    {
        public KeyFault Profile { get; } = profile;
        public IReadOnlyList<ErrorKind> Errors { get; } =
            [.. profile.Errors.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => ErrorCatalog.Find(n)!)];
        public Random Random { get; } = new(profile.Seed);
    }

    private readonly ExpiringEntries<Guid, Dice?> entries = new(accounts.Value.KeyCacheMaxEntries);

    /// <summary>
    /// The error this request of <paramref name="keyId"/> fails with, or null. The request's database
    /// is opened only when the cached profile has expired.
    /// </summary>
    public ValueTask<ErrorKind?> DrawAsync(Guid keyId, HttpContext request)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return entries.TryGet(keyId, now, out var cached)
            ? ValueTask.FromResult(Draw(cached))
            : DrawLoadedAsync(keyId, request.RequestServices.GetRequiredService<MnemoDb>(), entries.Peek(keyId), now, request.RequestAborted);
    }

    private async ValueTask<ErrorKind?> DrawLoadedAsync(Guid keyId, MnemoDb db, Dice? cached, DateTime now, CancellationToken ct) =>
        Draw(await LoadAsync(keyId, db, cached, now, ct));

    private static ErrorKind? Draw(Dice? dice)
    {
        if (dice is null || dice.Errors.Count == 0)
        {
            return null;
        }

        lock (dice)
        {
            return dice.Random.NextDouble() < dice.Profile.Rate ? dice.Errors[dice.Random.Next(dice.Errors.Count)] : null;
        }
    }

    /// <summary>Called when an operator changes a profile: the next request re-reads it and starts its seed afresh.</summary>
    public void Forget(Guid keyId) => entries.Remove(keyId);

    private async Task<Dice?> LoadAsync(Guid keyId, MnemoDb db, Dice? cached, DateTime now, CancellationToken ct)
    {
        var profile = await db.KeyFaults.AsNoTracking().FirstOrDefaultAsync(f => f.KeyId == keyId, ct);
        var dice = profile is null ? null
            : cached is { } previous && Same(previous.Profile, profile) ? previous
            : new Dice(profile);
        entries.Set(keyId, dice, now + TimeSpan.FromSeconds(Math.Max(0, accounts.Value.KeyCacheSeconds)), now);
        return dice;
    }

    private static bool Same(KeyFault a, KeyFault b) =>
        a.UpdatedAt == b.UpdatedAt && a.Seed == b.Seed && a.Rate.Equals(b.Rate) && a.Errors == b.Errors;
}
