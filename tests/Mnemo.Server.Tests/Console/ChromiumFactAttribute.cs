namespace Mnemo.Server.Tests.Console;

/// <summary>A fact that needs Debian's chromium; scripts/setup (and so .ci/run) installs it, so it is skipped only elsewhere.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(ConsoleBrowser.Chromium))
        {
            Skip = $"{ConsoleBrowser.Chromium} is missing. Install it: apt-get install -y chromium (scripts/setup does). No browser is downloaded.";
        }
    }
}
