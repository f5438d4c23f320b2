using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Tests.Scale;
using Npgsql;

namespace Mnemo.Server.Tests.Crash;

/// <summary>
/// One store and the server on it as a real child process, SIGKILLed and started again on the same data
/// directory and database (SQLite, or PostgreSQL with MNEMO_TEST_POSTGRES). Leases are seconds, not
/// minutes, so what a crash leaves behind must be cleared within a test's patience.
/// </summary>
public sealed class CrashRig : IAsyncDisposable
{
    public const string AdminToken = "crash-admin-token";
    public const double LeaseSeconds = 2;

    private readonly SharedStore store = new();
    private readonly Dictionary<string, string> settings;
    private readonly CancellationTokenSource cutting = new();

    public CrashRig(IDictionary<string, string>? extra = null)
    {
        settings = new Dictionary<string, string>
        {
            ["MNEMO_ADMIN_TOKEN"] = AdminToken,
            ["Mnemo__Processing__Workers"] = "1",
            ["Mnemo__Processing__LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mnemo__Processing__PollMilliseconds"] = "200",
            ["Mnemo__Assets__UploadLeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mnemo__Assets__ExpiredUploadSweepSeconds"] = "1",
            ["Mnemo__Idempotency__InFlightLeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mnemo__RateLimits__Enabled"] = "false",
        };
        if (store.Postgres is not null)
        {
            settings["MNEMO_DATABASE"] = store.Postgres;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
    }

    public ServerProcess? Server { get; private set; }

    /// <summary>Changes a setting for the next start (an upgrade, a setting turned on).</summary>
    public void Set(string key, string value) => settings[key] = value;

    public string DataDir => store.DataDir;

    public bool OnPostgres => store.Postgres is not null;

    public async Task<ServerProcess> StartAsync()
    {
        Server = await ServerProcess.StartAsync(store.DataDir, settings);
        return Server;
    }

    /// <summary>SIGKILL, then a new process on the same store.</summary>
    public async Task<ServerProcess> CrashAndRestartAsync()
    {
        Server!.Kill();
        await Server.DisposeAsync();
        return await StartAsync();
    }

    public sealed record Account(Guid Id, string Key);

    public async Task<Account> CreateAccountAsync(long credits)
    {
        using var admin = new HttpClient { BaseAddress = Server!.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var account = await (await admin.PostAsJsonAsync("/admin/accounts", new { name = "crash", credits })).BodyAsync();
        var id = account.GetProperty("id").GetGuid();
        var key = (await (await admin.PostAsJsonAsync($"/admin/accounts/{id}/keys", new { })).BodyAsync()).Str("key");
        return new Account(id, key);
    }

    /// <summary>A client of the running server, with the key in both surfaces' headers.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient(new ExitedServerHandler(Server!)) { BaseAddress = Server!.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key);
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", key);
        }

        return client;
    }

    /// <summary>Files of uploads in flight (every instance's), the instances' lock files aside.</summary>
    public IReadOnlyList<FileInfo> IncomingFiles()
    {
        var incoming = Path.Combine(store.DataDir, "assets", ".incoming");
        return Directory.Exists(incoming)
            ? [.. new DirectoryInfo(incoming).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.Name != ".lock")]
            : [];
    }

    /// <summary>Waits until <paramref name="files"/> uploads have each streamed at least <paramref name="bytes"/> to disk.</summary>
    public async Task WaitForIncomingAsync(long bytes, int files = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (IncomingFiles().Count(f => f.Length >= bytes) < files)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the upload never reached the disk");
            await Task.Delay(20);
        }
    }

    /// <summary>Rows of a query on the store's database, whichever it is (the test reads what the server wrote).</summary>
    public async Task<List<object[]>> RowsAsync(string sql)
    {
        if (store.Postgres is { } postgres)
        {
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return await ReadAsync(await command.ExecuteReaderAsync());
        }

        await using var sqlite = new SqliteConnection($"Data Source={Path.Combine(store.DataDir, "mnemo.db")};Pooling=False");
        await sqlite.OpenAsync();
        await using var query = sqlite.CreateCommand();
        query.CommandText = sql;
        return await ReadAsync(await query.ExecuteReaderAsync());
    }

    public async Task<long> ScalarAsync(string sql) => Convert.ToInt64((await RowsAsync(sql)).Single()[0]);

    private static async Task<List<object[]>> ReadAsync(System.Data.Common.DbDataReader reader)
    {
        await using (reader)
        {
            var rows = new List<object[]>();
            while (await reader.ReadAsync())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                rows.Add(row);
            }

            return rows;
        }
    }

    /// <summary>Sends a request that the crash will cut off; <see cref="Cut"/> ends it on the client's side.</summary>
    public Task Begin(HttpClient client, HttpRequestMessage request) => client.SendAsync(request, cutting.Token);

    public async Task Cut(IEnumerable<Task> requests)
    {
        await cutting.CancelAsync();
        foreach (var request in requests)
        {
            try
            {
                await request;
                throw new ShouldAssertException("A request under way when the server was killed still succeeded.");
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        cutting.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        store.Dispose();
    }
}

/// <summary>
/// A request body that sends its first part, then stalls (as a client whose upload is under way). The
/// client notices the server's death only once its body is done, so the test cancels the request.
/// </summary>
public sealed class StallingContent : HttpContent
{
    private readonly byte[] first;
    private readonly long declaredLength;

    public StallingContent(byte[] first, long declaredLength, string contentType)
    {
        this.first = first;
        this.declaredLength = declaredLength;
        Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(first, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(60), cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = declaredLength;
        return true;
    }
}
