using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>A fact that needs the vision engine in its default folder; scripts/setup installs it (so CI runs these), elsewhere they are skipped.</summary>
public sealed class VisionFactAttribute : FactAttribute
{
    public VisionFactAttribute()
    {
        var missing = VisionEngine.Missing(VisionEngine.DefaultDir);
        if (missing.Count > 0)
        {
            Skip = $"The vision engine is not installed (missing: {string.Join(", ", missing)}). Install: {VisionEngine.InstallCommand(VisionEngine.DefaultDir)}";
        }
    }
}
