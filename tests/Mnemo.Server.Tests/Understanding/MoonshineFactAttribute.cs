using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>A fact that needs Moonshine in its default folder; .ci/run installs it, so it is skipped only elsewhere.</summary>
public sealed class MoonshineFactAttribute : FactAttribute
{
    public MoonshineFactAttribute()
    {
        var missing = MoonshineEngine.Missing(MoonshineEngine.DefaultDir);
        if (missing.Count > 0)
        {
            Skip = $"Moonshine is not installed (missing: {string.Join(", ", missing)}). Install: {MoonshineEngine.InstallCommand(MoonshineEngine.DefaultDir)}";
        }
    }
}
