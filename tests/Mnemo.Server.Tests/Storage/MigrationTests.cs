using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public void SqliteMigrationsMatchTheModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "the model changed: dotnet ef migrations add <Name> --context SqliteMnemoDb --output-dir Storage/Migrations/Sqlite");
    }

    [Fact]
    public void PostgresMigrationsMatchTheModel()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "the model changed: dotnet ef migrations add <Name> --context PostgresMnemoDb --output-dir Storage/Migrations/Postgres");
    }
}
