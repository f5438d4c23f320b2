using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Tests.Infrastructure;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>While an asset processes, its status says which step runs (memic and memories v2).</summary>
public sealed class ProcessingStepTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Understanding:MaxConcurrentEngines"] = "1" });

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task TheRunningStepIsVisibleAndGoneWhenReady()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        // Holding the one engine slot keeps the speech step waiting once it has started.
        var gate = server.Services.GetRequiredService<EngineGate>();
        await gate.WaitAsync(CancellationToken.None);
        string id;
        try
        {
            id = (await (await client.PostFileAsync("/api/v1/files", SpokenAndShownMedia.SpeechVideo)).BodyAsync()).Str("id");
            var status = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}/status"), b => b.Str("processing_step") == "speech");
            status.Str("status").ShouldBe("parsing_started");
        }
        finally
        {
            gate.Release();
        }

        var ready = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}/status"), b => b.Str("status") == "ready", seconds: 120);
        ready.Str("processing_step").ShouldBeNull();
    }
}
