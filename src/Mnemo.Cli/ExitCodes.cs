using System.Net;
using Mnemo.Client;

namespace Mnemo.Cli;

/// <summary>The process exit codes scripts can branch on (docs/sdk.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Auth = 2;
    public const int NotFound = 3;
    public const int RateLimited = 4;
    public const int Server = 5;
    public const int InsufficientCredits = 6;

    public static int Of(Exception e) => e switch
    {
        AuthenticationException or PermissionException => Auth,
        NotFoundException => NotFound,
        RateLimitException => RateLimited,
        InsufficientCreditsException => InsufficientCredits,
        ServerException or HttpRequestException or TimeoutException => Server,
        MnemoApiException { HttpStatus: >= HttpStatusCode.InternalServerError } => Server,
        _ => Error,
    };
}
