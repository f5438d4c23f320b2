using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Accounts;

/// <summary>
/// The framework's authentication and authorization, doing what they do with less per request (every
/// status poll goes through them): the stateless authorization services, transient in the framework (a
/// graph of new objects per request), are singletons; scheme lookups and the no-op claims
/// transformation answer with tasks made once.
/// </summary>
internal static class AuthenticationCosts
{
    private static readonly Type[] Stateless =
    [
        typeof(IAuthorizationService), typeof(IAuthorizationPolicyProvider), typeof(IAuthorizationHandlerProvider),
        typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationHandler),
        typeof(IPolicyEvaluator), typeof(IAuthorizationMiddlewareResultHandler),
    ];

    /// <summary>Called after AddAuthentication and AddAuthorization, whose registrations it changes.</summary>
    public static IServiceCollection ReduceAuthenticationCosts(this IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor is { Lifetime: ServiceLifetime.Transient, IsKeyedService: false, ImplementationType: { } implementation }
                && Array.IndexOf(Stateless, descriptor.ServiceType) >= 0
                && implementation.Assembly.GetName().Name is { } assembly && assembly.StartsWith("Microsoft.AspNetCore.Authorization", StringComparison.Ordinal))
            {
                services[i] = ServiceDescriptor.Singleton(descriptor.ServiceType, implementation);
            }
        }

        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, SchemesAnsweredOnce>());
        services.Replace(ServiceDescriptor.Singleton<IClaimsTransformation, NoClaimsTransformation>());
        return services;
    }

    /// <summary>
    /// The framework's scheme provider, whose lookups each return a new task: here the tasks are kept until
    /// a scheme is added or removed.
    /// </summary>
    private sealed class SchemesAnsweredOnce(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
    {
        private sealed record Answers(
            int Version,
            Task<AuthenticationScheme?> DefaultAuthenticate,
            Task<IEnumerable<AuthenticationScheme>> RequestHandlers,
            FrozenDictionary<string, Task<AuthenticationScheme?>> ByName);

        private Answers? answers;
        private int version;

        public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() => Current().DefaultAuthenticate;

        public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync() => Current().RequestHandlers;

        // Not through Current(): the base class's other lookups call this one while the answers are made.
        public override Task<AuthenticationScheme?> GetSchemeAsync(string name) =>
            Volatile.Read(ref answers) is { } current && current.Version == Volatile.Read(ref version) && current.ByName.TryGetValue(name, out var scheme)
                ? scheme
                : base.GetSchemeAsync(name);

        public override bool TryAddScheme(AuthenticationScheme scheme)
        {
            var added = base.TryAddScheme(scheme);
            Changed();
            return added;
        }

        public override void AddScheme(AuthenticationScheme scheme)
        {
            base.AddScheme(scheme);
            Changed();
        }

        public override void RemoveScheme(string name)
        {
            base.RemoveScheme(name);
            Changed();
        }

        private void Changed() => Interlocked.Increment(ref version);

        private Answers Current()
        {
            var now = Volatile.Read(ref version);
            if (Volatile.Read(ref answers) is { } current && current.Version == now)
            {
                return current;
            }

            var built = new Answers(
                now,
                base.GetDefaultAuthenticateSchemeAsync(),
                base.GetRequestHandlerSchemesAsync(),
                base.GetAllSchemesAsync().Result // the base class answers synchronously
                    .ToFrozenDictionary(s => s.Name, s => Task.FromResult<AuthenticationScheme?>(s), StringComparer.Ordinal));
            Volatile.Write(ref answers, built);
            return built;
        }
    }

    /// <summary>The framework's default (no transformation), with a completed task made once for this scheme's principals.</summary>
    private sealed class NoClaimsTransformation : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal) =>
            ApiKeyAuthentication.Completed(principal) ?? Task.FromResult(principal);
    }
}
