// The floor Mnemo is measured against: Kestrel with nothing in front of the work.
// GET /status returns the bytes of BASELINE_STATUS_FILE (a real Mnemo status response);
// POST /upload streams the request body to a file under BASELINE_DIR.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
var app = builder.Build();

var status = File.ReadAllBytes(Environment.GetEnvironmentVariable("BASELINE_STATUS_FILE")!);
var dir = Environment.GetEnvironmentVariable("BASELINE_DIR")!;

app.MapGet("/status", () => Results.Bytes(status, "application/json"));
app.MapPost("/upload", async (HttpRequest request) =>
{
    var path = Path.Combine(dir, Guid.NewGuid().ToString("N"));
    await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
    {
        await request.Body.CopyToAsync(file, 64 * 1024);
    }

    return Results.Ok(new { bytes = new FileInfo(path).Length });
});

app.Run();
