using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Accounts;

/// <summary>
/// First start on an empty store: account "default", project "default", environment "production", a starting balance and
/// one key, printed once to standard output (never to the log). A marker row claimed in the same
/// transaction makes it happen once, even when several instances start together on one database.
/// </summary>
public sealed partial class Bootstrap(MnemoDb db, AccountStore store, TimeProvider time, IOptions<AccountsOptions> options, ILogger<Bootstrap> logger)
{
    private const string Marker = "bootstrap";

    public async Task RunAsync(CancellationToken ct = default)
    {
        if (await db.Markers.AnyAsync(m => m.Name == Marker, ct) || await db.Accounts.AnyAsync(ct))
        {
            return;
        }

        AccountStore.CreatedKey key;
        Account account;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                db.Markers.Add(new StoreMarker { Name = Marker, CreatedAt = time.GetUtcNow().UtcDateTime });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return; // another instance claimed the first start
            }

            account = await store.CreateAccountAsync("default", options.Value.BootstrapCredits, "bootstrap", null, ct);
            key = await store.CreateKeyAsync(account.Id, null, null, null, null, ct);
            await transaction.CommitAsync(ct);
        }

        Created(logger, account.Id, key.Key.Prefix);
        // One write, so the block is not interleaved with the JSON lines the console logger writes meanwhile.
        Console.Out.Write(
            $"""

            Mnemo created account 'default' (project 'default', environment 'production', {account.Balance} credits) and an API key.
            It is shown this once; keep it (the console, printed below once listening, signs in with it):

                {key.Secret}


            """);
        await Console.Out.FlushAsync(ct);
    }

    [LoggerMessage(LogLevel.Information, "Created account {AccountId} 'default' with key {KeyPrefix}… on first start")]
    private static partial void Created(ILogger logger, Guid accountId, string keyPrefix);
}

public static class BootstrapSetup
{
    /// <summary>The first-start account and key, once the store is migrated.</summary>
    public static async Task BootstrapAccountsAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync();
    }
}
