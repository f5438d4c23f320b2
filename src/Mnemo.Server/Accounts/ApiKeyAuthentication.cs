using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Accounts;

/// <summary>
/// The one authentication scheme: the admin token on admin routes, an API key on the three surfaces
/// (<see cref="ApiKeyCheck"/>), nothing elsewhere. Which applies is read from the route's
/// <see cref="RouteSurface"/>; the path decides only for a request that matched no route. A key's
/// <see cref="Caller"/> is set as a request feature, where endpoints bind it from. A failure carries its
/// catalog error to the challenge, which renders it in the surface's envelope.
/// It implements the framework's handler contract directly rather than deriving from
/// <c>AuthenticationHandler&lt;T&gt;</c>: that base class resolves an options monitor, a logger and an encoder
/// and copies the request's paths for every request, for options, events and forwarding this scheme has
/// none of (a tenth of a status poll's CPU, docs/benchmarks.md). One instance serves one request.
/// </summary>
public sealed class ApiKeyAuthentication(HttpContext context, KeyCache cache, AdminToken admin, KeyUses uses, TimeProvider time) : IAuthenticationHandler
{
    public const string Name = "ApiKey";

    /// <summary>Policy of the three surfaces' route groups.</summary>
    public const string KeyPolicy = "api-key";

    /// <summary>Policy of the admin route groups.</summary>
    public const string AdminPolicy = "admin";

    private const string AdminRole = "admin";

    // Who calls is the Caller feature; the principal only says that the check passed, so one serves all.
    // The results and tasks are immutable and shared too: a key-cache hit makes none of its own.
    private static readonly ClaimsPrincipal KeyPrincipal = new(new ClaimsIdentity(Name));
    private static readonly ClaimsPrincipal AdminPrincipal = new(new ClaimsIdentity([new Claim(ClaimTypes.Role, AdminRole)], Name));
    private static readonly Task<AuthenticateResult> KeyAuthenticated = Task.FromResult(AuthenticateResult.Success(new(KeyPrincipal, Name)));
    private static readonly Task<AuthenticateResult> AdminAuthenticated = Task.FromResult(AuthenticateResult.Success(new(AdminPrincipal, Name)));
    private static readonly Task<AuthenticateResult> NoCredentialsNeeded = Task.FromResult(AuthenticateResult.NoResult());

    private HttpContext context = context;
    private Task<AuthenticateResult>? authenticated;

    /// <summary>The shared completed task of one of this handler's shared results, else null.</summary>
    public static Task<AuthenticateResult>? Completed(AuthenticateResult? result) =>
        ReferenceEquals(result, KeyAuthenticated.Result) ? KeyAuthenticated
        : ReferenceEquals(result, AdminAuthenticated.Result) ? AdminAuthenticated
        : ReferenceEquals(result, NoCredentialsNeeded.Result) ? NoCredentialsNeeded
        : null;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        this.context = context;
        return Task.CompletedTask;
    }

    /// <summary>Checked once per request: the middleware, the policy and the challenge all ask.</summary>
    public Task<AuthenticateResult> AuthenticateAsync() => authenticated ??= Authenticate();

    private Task<AuthenticateResult> Authenticate()
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<PublicEndpoint>() is not null)
        {
            return NoCredentialsNeeded;
        }

        var declared = metadata?.GetMetadata<RouteSurface>();
        if (declared?.Admin ?? SurfacePaths.IsAdmin(context))
        {
            return !admin.Enabled ? NoCredentialsNeeded
                : admin.Matches(context) ? AdminAuthenticated
                : Denied(new ApiError(ErrorCatalog.InvalidApiKey, "Invalid admin token."));
        }

        if (declared is null && !SurfacePaths.RequiresApiKey(context))
        {
            return NoCredentialsNeeded;
        }

        var check = ApiKeyCheck.AuthenticateAsync(context, declared?.Surface ?? SurfacePaths.Of(context), cache, time);
        if (!check.IsCompletedSuccessfully)
        {
            return AuthenticateAsync(check);
        }

        var caller = check.Result;
        context.Features.Set(caller);
        uses.Touch(caller.KeyId);
        return KeyAuthenticated;
    }

    private async Task<AuthenticateResult> AuthenticateAsync(ValueTask<Caller> check)
    {
        try
        {
            var caller = await check;
            context.Features.Set(caller);
            uses.Touch(caller.KeyId);
            return KeyAuthenticated.Result;
        }
        catch (ApiException denied)
        {
            return AuthenticateResult.Fail(denied);
        }
    }

    public async Task ChallengeAsync(AuthenticationProperties? properties)
    {
        var result = await AuthenticateAsync();
        await ErrorWriter.WriteAsync(context, (result.Failure as ApiException)?.Error
            ?? new ApiError(ErrorCatalog.InvalidApiKey, SurfacePaths.IsAdmin(context) ? "Invalid admin token." : "Missing API key."));
    }

    public Task ForbidAsync(AuthenticationProperties? properties) =>
        ErrorWriter.WriteAsync(context, new ApiError(ErrorCatalog.Forbidden, "These credentials do not give access to this route."));

    private static Task<AuthenticateResult> Denied(ApiError error) => Task.FromResult(AuthenticateResult.Fail(new ApiException(error)));

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
    public sealed class ByPath : AuthorizationHandler<ByPath>, IAuthorizationRequirement
    {
        public static bool Allows(ClaimsPrincipal user, HttpContext http) =>
            user.Identity?.IsAuthenticated == true || !NeedsCredentials(http);

        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ByPath requirement)
        {
            if (context.Resource is not HttpContext http || Allows(context.User, http))
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
