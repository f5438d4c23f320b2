using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Console;

/// <summary>A fact that needs Debian's chromium and the vision engine (scripts/setup installs both); skipped, saying what is missing, elsewhere.</summary>
public sealed class ChromiumVisionFactAttribute : FactAttribute
{
    public ChromiumVisionFactAttribute()
    {
        var missing = VisionEngine.Missing(VisionEngine.DefaultDir);
        if (!File.Exists(ConsoleBrowser.Chromium))
        {
            Skip = $"{ConsoleBrowser.Chromium} is missing. Install it: apt-get install -y chromium (scripts/setup does). No browser is downloaded.";
        }
        else if (missing.Count > 0)
        {
            Skip = $"The vision engine is not installed (missing: {string.Join(", ", missing)}). Install: {VisionEngine.InstallCommand(VisionEngine.DefaultDir)}";
        }
    }
}
