using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Accounts;

/// <summary>
/// The one authentication scheme: the admin token on admin routes, an API key on the three surfaces
/// (<see cref="ApiKeyCheck"/>), nothing elsewhere. Which applies is read from the route's
/// <see cref="RouteSurface"/>; the path decides only for a request that matched no route. A key's
/// <see cref="Caller"/> is set as a request feature, where endpoints bind it from. A failure carries its
/// catalog error to the challenge, which renders it in the surface's envelope.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyCache cache, AdminToken admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "ApiKey";

    /// <summary>Policy of the three surfaces' route groups.</summary>
    public const string KeyPolicy = "api-key";

    /// <summary>Policy of the admin route groups.</summary>
    public const string AdminPolicy = "admin";

    private const string AdminRole = "admin";

    // Who calls is the Caller feature; the principal only says that the check passed, so one serves all.
    private static readonly AuthenticationTicket KeyTicket = new(new ClaimsPrincipal(new ClaimsIdentity(Name)), Name);
    private static readonly AuthenticationTicket AdminTicket =
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, AdminRole)], Name)), Name);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<PublicEndpoint>() is not null)
        {
            return AuthenticateResult.NoResult();
        }

        if (SurfacePaths.IsAdmin(Context))
        {
            return !admin.Enabled ? AuthenticateResult.NoResult()
                : admin.Matches(Context) ? AuthenticateResult.Success(AdminTicket)
                : Denied(new ApiError(ErrorCatalog.InvalidApiKey, "Invalid admin token."));
        }

        if (!SurfacePaths.RequiresApiKey(Context))
        {
            return AuthenticateResult.NoResult();
        }

        try
        {
            Context.Features.Set(await ApiKeyCheck.AuthenticateAsync(Context, cache, TimeProvider));
            return AuthenticateResult.Success(KeyTicket);
        }
        catch (ApiException denied)
        {
            return AuthenticateResult.Fail(denied);
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await ErrorWriter.WriteAsync(Context, (result.Failure as ApiException)?.Error
            ?? new ApiError(ErrorCatalog.InvalidApiKey, SurfacePaths.IsAdmin(Context) ? "Invalid admin token." : "Missing API key."));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorWriter.WriteAsync(Context, new ApiError(ErrorCatalog.Forbidden, "These credentials do not give access to this route."));

    private static AuthenticateResult Denied(ApiError error) => AuthenticateResult.Fail(new ApiException(error));

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(KeyPolicy, policy => policy.RequireAuthenticatedUser());
        options.AddPolicy(AdminPolicy, policy => policy.RequireRole(AdminRole));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new ByPath()).Build();
    }

    /// <summary>
    /// For a request no route group authorized (most often one that matched no route): credentials are
    /// needed where the old path rules ask for them, so an unknown path under a surface answers 401 in its envelope.
    /// </summary>
    private sealed class ByPath : AuthorizationHandler<ByPath>, IAuthorizationRequirement
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ByPath requirement)
        {
            if (context.User.Identity?.IsAuthenticated == true || context.Resource is not HttpContext http || !NeedsCredentials(http))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }

        private static bool NeedsCredentials(HttpContext http) =>
            http.GetEndpoint()?.Metadata.GetMetadata<PublicEndpoint>() is null
            && (SurfacePaths.IsAdmin(http)
                ? http.RequestServices.GetRequiredService<AdminToken>().Enabled
                : SurfacePaths.RequiresApiKey(http));
    }
}
