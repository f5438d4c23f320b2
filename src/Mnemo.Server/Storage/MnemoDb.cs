using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.Processing;

namespace Mnemo.Server.Storage;

/// <summary>The one EF Core model; each capability configures its own entities.</summary>
public sealed class MnemoDb(DbContextOptions<MnemoDb> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountEnvironment> Environments => Set<AccountEnvironment>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        AccountsModel.Configure(modelBuilder);
        LedgerModel.Configure(modelBuilder);
        AssetsModel.Configure(modelBuilder);
        ProcessingModel.Configure(modelBuilder);
    }
}
