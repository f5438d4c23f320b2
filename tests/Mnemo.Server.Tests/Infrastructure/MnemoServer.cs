using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>
/// A real Mnemo server on Kestrel, on a free loopback port, with its own data directory (a real
/// SQLite file) and an admin token. Log lines are captured with their scopes.
/// </summary>
public sealed class MnemoServer : WebApplicationFactory<Program>
{
    public const string AdminToken = "test-admin-token";

    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;

    public MnemoServer(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        DataDir = Path.Combine(Path.GetTempPath(), "mnemo-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDir);
        this.settings = new Dictionary<string, string?>
        {
            ["MNEMO_DATA_DIR"] = DataDir,
            ["MNEMO_ADMIN_TOKEN"] = AdminToken,
            ["Mnemo:Accounts:KeyCacheSeconds"] = "1",
            ["urls"] = "http://127.0.0.1:0",
            // Seeing costs a sidecar and seconds of CPU per video; the vision tests turn it on.
            ["Mnemo:Understanding:Vision"] = "false",
            // So do image features (a ResNet18 run per picture); the search-by-image tests turn them on.
            ["Mnemo:Understanding:ImageFeatures:Enabled"] = "false",
        };
        // Tests poll and upload far faster than the contract's budgets; the rate-limit tests set their own.
        foreach (var surface in new[] { "Memories", "Memic" })
        {
            foreach (var routeClass in new[] { "Upload", "Search", "Status", "ListDelete", "Download", "Prompts", "VideoTasks" })
            {
                this.settings[$"Mnemo:RateLimits:{surface}:{routeClass}:Permits"] = "100000";
            }
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }

        this.configureServices = configureServices;
        Postgres = TestDatabases.CreatePostgresDatabaseIfAsked(this.settings);
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        ClientOptions.BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
    }

    public string DataDir { get; }

    /// <summary>The PostgreSQL database this server runs on, when the suite runs against PostgreSQL.</summary>
    public string? Postgres { get; }

    public ConcurrentQueue<CapturedLog> Logs { get; } = new();

    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CaptureLoggerProvider(Logs)));
        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }

    /// <summary>A plain client on the real socket: no key, no redirects.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });

    public HttpClient AdminClient()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>A client that sends the key the way both memories surfaces and memic expect it.</summary>
    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", key);
        return client;
    }

    public sealed record TestAccount(Guid Id, string Key, Guid KeyId);

    /// <summary>Creates an account through the admin API and a key for it.</summary>
    public async Task<TestAccount> CreateAccountAsync(long credits = 1000, string? name = null, object? keyRequest = null)
    {
        using var admin = AdminClient();
        var created = await admin.PostAsJsonAsync("/admin/accounts", new { name = name ?? "acct-" + Guid.NewGuid().ToString("N")[..8], credits });
        created.EnsureSuccessStatusCode();
        var account = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = account.GetProperty("id").GetGuid();
        var keyResponse = await admin.PostAsJsonAsync($"/admin/accounts/{id}/keys", keyRequest ?? new { });
        keyResponse.EnsureSuccessStatusCode();
        var key = await keyResponse.Content.ReadFromJsonAsync<JsonElement>();
        return new TestAccount(id, key.GetProperty("key").GetString()!, key.GetProperty("id").GetGuid());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestDatabases.Drop(Postgres);
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyList<object?> Scopes)
{
    public string? RequestId => Scopes
        .OfType<IEnumerable<KeyValuePair<string, object?>>>()
        .SelectMany(s => s)
        .Where(kv => kv.Key == "RequestId")
        .Select(kv => kv.Value?.ToString())
        .LastOrDefault();
}

internal sealed class CaptureLoggerProvider(ConcurrentQueue<CapturedLog> sink) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName, sink, () => scopes);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CaptureLogger(string category, ConcurrentQueue<CapturedLog> sink, Func<IExternalScopeProvider> scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => scopes().Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var captured = new List<object?>();
            scopes().ForEachScope((scope, list) => list.Add(scope), captured);
            sink.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception?.ToString(), captured));
        }
    }
}

public static class MnemoServerAdmin
{
    /// <summary>Adds credits through the admin API; returns the new balance.</summary>
    public static async Task<long> TopUpAsync(this MnemoServer server, Guid accountId, long amount, string reason = "top-up")
    {
        using var admin = server.AdminClient();
        var response = await admin.PostAsJsonAsync($"/admin/accounts/{accountId}/credits", new { amount, reason });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetInt64();
    }

    /// <summary>Gives a key a fault profile through the admin API.</summary>
    public static async Task SetFaultsAsync(this MnemoServer server, Guid keyId, double rate, string[] errors, int seed = 1)
    {
        using var admin = server.AdminClient();
        var response = await admin.PutAsJsonAsync($"/admin/keys/{keyId}/faults", new { rate, errors, seed });
        response.EnsureSuccessStatusCode();
    }
}
