using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.Faults;
using Mnemo.Server.Hosting;
using Mnemo.Server.Idempotency;
using Mnemo.Server.People;
using Mnemo.Server.Processing;
using Mnemo.Server.Prompts;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Search;
using Mnemo.Server.Storage;
using Mnemo.Server.Surfaces.Admin;
using Mnemo.Server.Surfaces.Memic;
using Mnemo.Server.Surfaces.MemoriesV1;
using Mnemo.Server.Surfaces.MemoriesV2;
using Mnemo.Server.Understanding;
using Mnemo.Server.WebConsole;

var builder = WebApplication.CreateBuilder(args);

builder.AddJsonLogging();      // JSON lines; every line of a request carries its RequestId
builder.AddApiDefaults();      // snake_case JSON, request ids, catalog errors, body limits, :8080
builder.AddMnemoStore();       // SQLite file + stored bytes under MNEMO_DATA_DIR
builder.AddAccounts();         // accounts, environments, API keys, trusted proxies
builder.AddPrompts();          // prompts and their immutable versions
builder.AddSearch();           // the memory index (SQLite FTS5, BM25 normalised to 0..1)
builder.AddBilling();          // price table, reserve/settle/refund, GET /api/v1/usage
builder.AddFaults();           // per-key fault profiles (admin), off by default
builder.AddRateLimits();       // per account (memories) / per key (memic) and route class
builder.AddIdempotency();      // Idempotency-Key on every POST, kept 24 h
builder.AddAssets();           // uploads streamed to disk, format detection, limits, delete with tombstones
builder.AddProcessing();       // durable parse queue, workers, ffmpeg/pdftotext parsers, callback outbox
builder.AddUnderstanding();    // speech-to-text (Moonshine or pocketsphinx), OCR (tesseract), video clip/split tasks
builder.AddPeople();           // faces clustered into people per environment, named, found by photo
builder.AddOpenApiDocs();      // one OpenAPI document per surface
builder.AddTelemetry();        // OpenTelemetry metrics and traces, Prometheus /metrics (off by default)
builder.AddHealth();           // health checks: the process (/healthz), the store (/readyz)

var app = builder.Build();

app.UseApiDefaults();          // request id → access log → catalog errors → trusted proxies → routing → body limits
app.UseTelemetry();            // the surface on every request's metrics; the scrape endpoint when on
app.UseApiKeys();              // admin token on /admin, API key on the three surfaces
app.UseFaults();               // a key's fault profile fails its requests before any side effect
app.UseRateLimits();           // RateLimit-* headers, 429 with Retry-After
app.UseIdempotency();          // replay or 409 for a reused Idempotency-Key

app.MapHealth();               // /healthz, /readyz
app.MapAdmin();                // /admin (only with MNEMO_ADMIN_TOKEN)
app.MapAdminCredits();         // /admin/accounts/{id}/credits
app.MapAdminFaults();          // /admin/keys/{id}/faults
app.MapAdminAssets();          // /admin/assets/{id}/reparse
app.MapMemoriesV1();           // /serve/api/v1, /serve/api/video
app.MapMemoriesV2();           // /serve/api/v2
app.MapMemic();                // /api/v1 and /api/v1/sdk
app.MapOpenApiDocs();          // /openapi/{surface}.json, /docs
app.MapConsole();              // /console: the web console (static files; data through the APIs above); its URL printed at start

if (args is ["migrate", ..])
{
    await StoreSetup.MigrateAsync(app.Services);  // `Mnemo.Server migrate`: apply migrations and exit
    return;
}

await StoreSetup.MigrateAsync(app.Services);  // migrations (serialised across instances), then each folder's store scripts
await app.BootstrapAccountsAsync();          // the first-start account and key
await app.RunAsync();

public partial class Program;
