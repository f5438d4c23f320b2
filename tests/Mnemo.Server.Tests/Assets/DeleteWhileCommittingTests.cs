using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Processing;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

/// <summary>
/// A delete that arrives while a parse commits waits for it and then succeeds. On PostgreSQL the two
/// once took their row locks in opposite orders (job then asset, asset then job): a deadlock that the
/// server aborted after a second, answering the delete 503 (a CI run of the hostile suite met it).
/// </summary>
public sealed class DeleteWhileCommittingTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task ADeleteDuringTheCommitWaitsAndSucceeds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Services.GetRequiredService<ProcessingHooks>().InsideCommit = async _ =>
        {
            entered.TrySetResult();
            await release.Task;
        };
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Pdf))
            .BodyAsync()).GetProperty("data").Str("asset_id");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var delete = client.DeleteAsync($"/serve/api/v2/{assetId}");
        await Task.Delay(500); // the delete reaches the database and waits for the commit's lock
        release.SetResult();

        var deleted = await (await delete).BodyAsync();
        deleted.GetProperty("code").GetInt32().ShouldBe(200, deleted.GetRawText());
        await (await client.GetAsync($"/serve/api/v2/{assetId}/metadata")).ShouldBeV2ErrorAsync(400, "Asset not found");
    }
}
