using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>
/// A Mnemo addition (the hosted API keeps it in its dashboard; the console uses it): the keys of the caller's
/// organization, a new key for the caller's project, and revoking one. The secret is shown once, at creation.
/// </summary>
public static class KeysApi
{
    public sealed record CreateKeyRequest(string? Environment, DateTime? ExpiresAt, string[]? AllowedIps);
    public sealed record CreatedKey(Guid Id, string Key, string Prefix, Guid ProjectId, string Environment, DateTime? ExpiresAt);

    public static void MapKeys(this RouteGroupBuilder memic)
    {
        var keys = memic.MapGroup("/keys").WithTags("keys").WithRateLimitClass(RateLimitClass.ListDelete);
        keys.MapGet("", async (Caller caller, AccountStore store, CancellationToken ct) => TypedResults.Ok(await store.KeysAsync(caller.AccountId, ct)))
            .WithSummary("The API keys of this organization (prefix, project, environment, created, last use; never the secret).");
        keys.MapPost("", Create).WithSummary("A new key for this key's project (its environment unless another is named); the secret is in this answer only.");
        keys.MapDelete("/{id:guid}", Revoke).WithSummary("Revokes a key of this organization, at once.");
    }

    private static async Task<Created<CreatedKey>> Create(CreateKeyRequest? request, Caller caller, AccountStore store, CancellationToken ct)
    {
        var created = await store.CreateKeyAsync(caller.AccountId, caller.ProjectId, request?.Environment ?? caller.EnvironmentSlug,
            request?.ExpiresAt, request?.AllowedIps, ct);
        return TypedResults.Created($"{SurfacePaths.MemicPrefix}/keys/{created.Key.Id}",
            new CreatedKey(created.Key.Id, created.Secret, created.Key.Prefix, created.ProjectId, created.Environment, created.Key.ExpiresAt));
    }

    private static async Task<Results<NoContent, ApiError>> Revoke(Guid id, Caller caller, AccountStore store, CancellationToken ct)
    {
        if (await store.AccountOfKeyAsync(id, ct) != caller.AccountId)
        {
            return ApiError.NotFound("API key not found.");
        }

        await store.RevokeKeyAsync(id, ct);
        return TypedResults.NoContent();
    }
}
