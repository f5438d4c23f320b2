using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;
using Mnemo.Server.Hosting;

// Not Mnemo.Server.Console: a namespace of that name would hide System.Console from every folder.
namespace Mnemo.Server.WebConsole;

/// <summary>
/// The web console at /console: static files embedded in the server (HTML, CSS, JavaScript modules; no build
/// step, nothing from a CDN). The page is public; everything it shows comes from the public APIs with the
/// API key or admin token the user signs in with, kept in the browser's session storage only.
/// </summary>
public static class ConsoleApp
{
    public const string Path = "/console";

    private static readonly Assembly Files = typeof(ConsoleApp).Assembly;
    private static readonly FileExtensionContentTypeProvider Types = new();

    /// <summary>Only the console's own origin: no script, style, image or connection elsewhere.</summary>
    private const string Policy =
        "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self'; script-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    public static WebApplication MapConsole(this WebApplication app)
    {
        // A page load fetches a dozen files: the access log keeps them at Debug, as it does probes.
        app.MapMethods(Path + "/{**file}", [HttpMethods.Get, HttpMethods.Head], Serve).WithMetadata(new AccessLog.Probe()).ExcludeFromDescription();
        ConsoleBanner.PrintWhenStarted(app);
        return app;
    }

    private static IResult Serve(string? file, HttpContext http)
    {
        if (!http.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(file))
        {
            return TypedResults.Redirect(Path + "/"); // relative links (style.css, app.js) resolve under /console/
        }

        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        var stream = name.Contains("..", StringComparison.Ordinal) ? null : Files.GetManifestResourceStream("console/" + name);
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        var type = Types.TryGetContentType(name, out var known) ? known : "application/octet-stream";
        return TypedResults.Stream(stream, type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) ? type + "; charset=utf-8" : type);
    }
}
