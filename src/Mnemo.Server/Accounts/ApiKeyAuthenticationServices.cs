using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Accounts;

/// <summary>
/// The framework's authentication and authorization, unchanged in model: one scheme and its handler
/// (<see cref="ApiKeyAuthentication"/>), <c>RequireAuthorization</c> on the route groups, the framework's two
/// middlewares, challenge and forbid through the handler. Four of their services are replaced by ones made
/// for a single scheme. The general ones build, per request, a handler provider with its dictionary, an
/// authentication service with its set of transformed principals, an authorization service with its handler
/// context and requirement set, and a dozen tasks: about 2.8 KB and 2 µs of CPU a request, a tenth of a status
/// poll (docs/benchmarks.md, status polling). These make nothing per request but the handler.
/// </summary>
public static class ApiKeyAuthenticationServices
{
    /// <summary>After <c>AddAuthentication</c> and <c>AddAuthorization</c>: puts these in place of the general ones.</summary>
    public static IServiceCollection UseSingleSchemeServices(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyHandlers>();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, FixedSchemes>());
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationHandlerProvider>(s => s.GetRequiredService<ApiKeyHandlers>()));
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationService, ApiKeyAuthenticationService>());
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, ApiKeyPolicyEvaluator>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, AuthorizationMiddlewareResultHandler>()); // stateless
        return services;
    }
}

/// <summary>The schemes, with the two answers the authentication middleware asks for on every request kept as tasks.</summary>
public sealed class FixedSchemes(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    private Task<AuthenticationScheme?>? defaultAuthenticate;
    private Task<IEnumerable<AuthenticationScheme>>? requestHandlers;

    public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() =>
        defaultAuthenticate ??= base.GetDefaultAuthenticateSchemeAsync();

    public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync() =>
        requestHandlers ??= base.GetRequestHandlerSchemesAsync();

    public override void AddScheme(AuthenticationScheme scheme)
    {
        base.AddScheme(scheme);
        Forget();
    }

    public override bool TryAddScheme(AuthenticationScheme scheme)
    {
        var added = base.TryAddScheme(scheme);
        Forget();
        return added;
    }

    public override void RemoveScheme(string name)
    {
        base.RemoveScheme(name);
        Forget();
    }

    private void Forget() => (defaultAuthenticate, requestHandlers) = (null, null);
}

/// <summary>The request's one handler, kept as a request feature from its first use (authenticate) to its last (challenge, forbid).</summary>
public sealed class ApiKeyHandlers(KeyCache cache, AdminToken admin, KeyUses uses, TimeProvider time) : IAuthenticationHandlerProvider
{
    private static readonly Task<IAuthenticationHandler?> NoHandler = Task.FromResult<IAuthenticationHandler?>(null);

    public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme) =>
        authenticationScheme == ApiKeyAuthentication.Name ? Task.FromResult<IAuthenticationHandler?>(For(context)) : NoHandler;

    public ApiKeyAuthentication For(HttpContext context)
    {
        if (context.Features.Get<ApiKeyAuthentication>() is { } existing)
        {
            return existing;
        }

        var handler = new ApiKeyAuthentication(context, cache, admin, uses, time);
        context.Features.Set(handler);
        return handler;
    }
}

/// <summary>
/// The handler's answer as it is: Mnemo registers no claims transformation, so the general service's copy of
/// the ticket and its set of transformed principals are work for nothing. Challenge and forbid are the base class's.
/// </summary>
public sealed class ApiKeyAuthenticationService(
    IAuthenticationSchemeProvider schemes, ApiKeyHandlers handlers, IClaimsTransformation transform, IOptions<AuthenticationOptions> options)
    : AuthenticationService(schemes, handlers, transform, options)
{
    public override Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
    {
        if (scheme is not (null or ApiKeyAuthentication.Name))
        {
            return base.AuthenticateAsync(context, scheme); // no such scheme: the base class's error
        }

        return handlers.For(context).AuthenticateAsync();
    }
}

/// <summary>
/// Mnemo's policies ask for an authenticated caller, the admin role, or <see cref="ApiKeyAuthentication.ByPath"/>:
/// those are decided here, with the framework's rules and without an authorization service per request. A
/// policy with another requirement, or its own schemes, goes to the framework's evaluator.
/// </summary>
public sealed class ApiKeyPolicyEvaluator : IPolicyEvaluator
{
    private static readonly Task<PolicyAuthorizationResult> Allowed = Task.FromResult(PolicyAuthorizationResult.Success());
    private static readonly Task<PolicyAuthorizationResult> Challenged = Task.FromResult(PolicyAuthorizationResult.Challenge());
    private static readonly Task<PolicyAuthorizationResult> Forbidden = Task.FromResult(PolicyAuthorizationResult.Forbid());

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        if (policy.AuthenticationSchemes.Count > 0)
        {
            return Framework(context).AuthenticateAsync(policy, context);
        }

        var result = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        return ApiKeyAuthentication.Completed(result) ?? Task.FromResult(result
            ?? (IsAuthenticated(context.User) ? AuthenticateResult.Success(new(context.User, "context.User")) : AuthenticateResult.NoResult()));
    }

    public Task<PolicyAuthorizationResult> AuthorizeAsync(
        AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        var allowed = true;
        var requirements = policy.Requirements;
        for (var i = 0; i < requirements.Count; i++)
        {
            bool? met = requirements[i] switch
            {
                DenyAnonymousAuthorizationRequirement => IsAuthenticated(context.User),
                RolesAuthorizationRequirement roles => roles.AllowedRoles.Any(context.User.IsInRole),
                ApiKeyAuthentication.ByPath => ApiKeyAuthentication.ByPath.Allows(context.User, context),
                _ => null,
            };
            if (met is null)
            {
                return Framework(context).AuthorizeAsync(policy, authenticationResult, context, resource);
            }

            allowed &= met.Value;
        }

        return allowed ? Allowed : authenticationResult.Succeeded ? Forbidden : Challenged;
    }

    /// <summary>The framework's rule (any identity authenticated), the primary identity first: walking <c>Identities</c> allocates.</summary>
    private static bool IsAuthenticated(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated == true)
        {
            return true;
        }

        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated)
            {
                return true;
            }
        }

        return false;
    }

    private static PolicyEvaluator Framework(HttpContext context) => new(context.RequestServices.GetRequiredService<IAuthorizationService>());
}
