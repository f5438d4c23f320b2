using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Understanding;

/// <summary>What was seen and done for one asset: its understanding steps and its visual spans.</summary>
public sealed record AssetUnderstanding(IReadOnlyList<AssetStep> Steps, IReadOnlyList<AssetChunk> Seen);

/// <summary>The read side of understanding for the surfaces.</summary>
public sealed class UnderstandingQueries(MnemoDb db)
{
    public async Task<AssetUnderstanding> UnderstandingAsync(long assetId, CancellationToken ct)
    {
        var steps = await db.Set<AssetStep>().AsNoTracking().Where(s => s.AssetId == assetId).OrderBy(s => s.Id).ToListAsync(ct);
        var seen = await db.Set<AssetChunk>().AsNoTracking()
            .Where(c => c.AssetId == assetId && !c.IsTranscript && c.Confidence != null).OrderBy(c => c.Index).ToListAsync(ct);
        return new AssetUnderstanding(steps, [.. seen.Where(SeenChunks.IsSeen)]);
    }
}
