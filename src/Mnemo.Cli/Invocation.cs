using System.CommandLine;
using System.Text.Json;
using Mnemo.Client;
using Spectre.Console;

namespace Mnemo.Cli;

/// <summary>One run of one command: its parsed arguments, where to write, and a client built from the config.</summary>
public sealed class Invocation(ParseResult parse, CliContext context, GlobalOptions globals, CancellationToken cancellationToken)
{
    private static readonly JsonSerializerOptions JsonOut = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private IAnsiConsole? console;

    public ParseResult Parse { get; } = parse;

    public CliContext Context { get; } = context;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public bool Json => Parse.GetValue(globals.Json);

    /// <summary>Progress bars and spinners only for a human at a terminal.</summary>
    public bool ShowProgress => !Json && Context.Interactive;

    public IAnsiConsole Console => console ??= Context.CreateConsole();

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public MnemoClient CreateClient()
    {
        var (url, key, _, _) = CliConfig.Resolve(Context, Parse.GetValue(globals.Url), Parse.GetValue(globals.Key));
        if (key is null)
        {
            throw new CliException("No API key: run `mnemo config set --key <key>` or set MNEMO_API_KEY.", ExitCodes.Auth);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new CliException($"'{url}' is not an http(s) URL: run `mnemo config set --url http://host:8080`.");
        }

        return new MnemoClient(new MnemoClientOptions(address, key));
    }

    public void WriteJson(object value) => Context.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonOut));

    public static Guid FileId(string text) => Guid.TryParse(text, out var id)
        ? id
        : throw new CliException($"'{text}' is not a file id (a UUID, as `mnemo ls` shows).");
}
