using System.Text.Json;

namespace Mnemo.Cli;

/// <summary>
/// The server URL and key: options first, then MNEMO_URL / MNEMO_API_KEY, then the config file
/// ($XDG_CONFIG_HOME/mnemo/config.json, else ~/.config/mnemo/config.json; mode 600).
/// </summary>
public sealed record CliConfig(string? Url, string? ApiKey)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string PathOf(CliContext context)
    {
        var root = context.Environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
            : context.Environment("APPDATA") is { Length: > 0 } appData && OperatingSystem.IsWindows() ? appData
            : Path.Combine(context.Environment("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "mnemo", "config.json");
    }

    public static CliConfig Load(CliContext context)
    {
        var path = PathOf(context);
        if (!File.Exists(path))
        {
            return new CliConfig(null, null);
        }

        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Json) ?? new CliConfig(null, null);
        }
        catch (JsonException e)
        {
            throw new CliException($"The config file {path} is not valid JSON ({e.Message}); fix or delete it.");
        }
    }

    public void Save(CliContext context)
    {
        var path = PathOf(context);
        var dir = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
            return;
        }

        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using (var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(file, this, Json);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // also when the file already existed
    }

    /// <summary>What a command runs with, and where each value came from.</summary>
    public static (string Url, string? Key, string UrlFrom, string KeyFrom) Resolve(CliContext context, string? urlOption, string? keyOption)
    {
        var file = Load(context);
        var (url, urlFrom) = urlOption is { Length: > 0 } ? (urlOption, "--url")
            : context.Environment("MNEMO_URL") is { Length: > 0 } envUrl ? (envUrl, "MNEMO_URL")
            : file.Url is { Length: > 0 } ? (file.Url, PathOf(context))
            : (DefaultUrl, "default");
        var (key, keyFrom) = keyOption is { Length: > 0 } ? (keyOption, "--key")
            : context.Environment("MNEMO_API_KEY") is { Length: > 0 } envKey ? (envKey, "MNEMO_API_KEY")
            : file.ApiKey is { Length: > 0 } ? (file.ApiKey, PathOf(context))
            : ((string?)null, "unset");
        return (url, key, urlFrom, keyFrom);
    }

    public static string Mask(string? key) =>
        key is null ? "(none)" : key.Length <= 12 ? new string('*', key.Length) : key[..10] + "…" + key[^4..];
}

/// <summary>A problem the CLI explains itself (bad config, bad argument): message on stderr, exit code 1.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Error) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
