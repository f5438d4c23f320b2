using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Accounts;

/// <summary>
/// First start on an empty store: account "default", environment "production", a starting balance and
/// one key, printed once to standard output (never to the log).
/// </summary>
public sealed class Bootstrap(MnemoDb db, AccountStore store, IOptions<AccountsOptions> options, ILogger<Bootstrap> logger)
{
    public async Task RunAsync(CancellationToken ct = default)
    {
        if (await db.Accounts.AnyAsync(ct))
        {
            return;
        }

        var account = await store.CreateAccountAsync("default", options.Value.BootstrapCredits, "bootstrap", null, ct);
        var key = await store.CreateKeyAsync(account.Id, null, null, null, ct);
        logger.LogInformation("Created account {AccountId} 'default' with key {KeyPrefix}… on first start", account.Id, key.Key.Prefix);
        Console.Out.WriteLine(
            $"""

            Mnemo created account 'default' (environment 'production', {account.Balance} credits) and an API key.
            It is shown this once; keep it:

                {key.Secret}

            memories:  curl -H 'Authorization: {key.Secret}' ...
            memic:     curl -H 'X-API-Key: {key.Secret}' ...

            """);
        await Console.Out.FlushAsync(ct);
    }
}
