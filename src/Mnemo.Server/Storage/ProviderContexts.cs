using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Mnemo.Server.Storage;

/// <summary>The model on SQLite, with the migrations under Storage/Migrations/Sqlite.</summary>
public sealed class SqliteMnemoDb(DbContextOptions<SqliteMnemoDb> options) : MnemoDb(options);

/// <summary>The model on PostgreSQL, with the migrations under Storage/Migrations/Postgres.</summary>
public sealed class PostgresMnemoDb(DbContextOptions<PostgresMnemoDb> options) : MnemoDb(options);

/// <summary>For `dotnet ef migrations add X --context SqliteMnemoDb`: no database is opened.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMnemoDb>
{
    public SqliteMnemoDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMnemoDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For `dotnet ef migrations add X --context PostgresMnemoDb`: no database is opened.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMnemoDb>
{
    public PostgresMnemoDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMnemoDb>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
