using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.Prompts;
using Mnemo.Server.Search;
using Mnemo.Server.Faults;
using Mnemo.Server.Idempotency;
using Mnemo.Server.Processing;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Storage;

/// <summary>
/// The one EF Core model; each capability configures its own entities. Not sealed only so that each
/// provider has a subclass carrying its own migrations (<see cref="SqliteMnemoDb"/>, <see cref="PostgresMnemoDb"/>).
/// </summary>
public class MnemoDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<AccountEnvironment> Environments => Set<AccountEnvironment>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();
    public DbSet<Prompt> Prompts => Set<Prompt>();
    public DbSet<PromptVersion> PromptVersions => Set<PromptVersion>();
    public DbSet<SearchEntry> SearchEntries => Set<SearchEntry>();
    public DbSet<StoreMarker> Markers => Set<StoreMarker>();
    public DbSet<KeyFault> KeyFaults => Set<KeyFault>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        AccountsModel.Configure(modelBuilder);
        LedgerModel.Configure(modelBuilder);
        PromptsModel.Configure(modelBuilder);
        SearchModel.Configure(modelBuilder);
        Search.Images.ImageFeaturesModel.Configure(modelBuilder);
        StoreMarker.Configure(modelBuilder);
        FaultsModel.Configure(modelBuilder);
        IdempotencyModel.Configure(modelBuilder);
        AssetsModel.Configure(modelBuilder);
        ProcessingModel.Configure(modelBuilder);
        Work.WorkModel.Configure(modelBuilder);
        RateLimitsModel.Configure(modelBuilder);
        Understanding.UnderstandingModel.Configure(modelBuilder);
    }
}
