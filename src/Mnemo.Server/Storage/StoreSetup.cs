using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;

namespace Mnemo.Server.Storage;

public static class StoreSetup
{
    public const string DataDirKey = "MNEMO_DATA_DIR";

    /// <summary>The embedded default: a SQLite file and stored bytes under MNEMO_DATA_DIR.</summary>
    public static WebApplicationBuilder AddMnemoStore(this WebApplicationBuilder builder)
    {
        var data = new DataDirectory(builder.Configuration[DataDirKey] ?? "./data");
        builder.Services.AddSingleton(data);
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = data.DatabasePath,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        builder.Services.AddDbContext<MnemoDb>(options => options.UseSqlite(connection));
        return builder;
    }

    /// <summary>Creates the schema when the store is new, then runs the first-start bootstrap.</summary>
    public static async Task InitializeStoreAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        await db.Database.EnsureCreatedAsync();
        // WAL lets readers go on while a writer commits; it is a property of the file, set once.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.ExecuteSqlRawAsync(Search.SearchModel.SqliteFullText);
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync();
    }
}
