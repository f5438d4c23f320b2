using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Accounts;

/// <summary>The operator's API under /admin (memic-style errors). Off (404) unless MNEMO_ADMIN_TOKEN is set.</summary>
public static class AdminApi
{
    public const string TokenKey = AdminToken.Key;

    public sealed record CreateAccountRequest(string? Name, long? Credits);
    public sealed record AccountView(Guid Id, string Name, string Status, long Balance, DateTime CreatedAt)
    {
        public static AccountView Of(Account a) => new(a.Id, a.Name, Wire(a.Status), a.Balance, a.CreatedAt);
    }

    public sealed record PatchAccountRequest(string? Status);
    public sealed record EnvironmentRequest(string? Name);
    public sealed record EnvironmentView(Guid Id, Guid AccountId, string Name, DateTime CreatedAt);
    public sealed record ProjectRequest(string? Name, bool? IsActive);
    public sealed record KeyRequest(Guid? ProjectId, string? Environment, DateTime? ExpiresAt, string[]? AllowedIps);
    public sealed record KeyCreated(
        Guid Id, string Key, string Prefix, Guid ProjectId, string Environment, DateTime? ExpiresAt, IReadOnlyList<string> AllowedIps);

    public static string Wire(AccountStatus status) => status.ToString().ToLowerInvariant();

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<AdminToken>().Enabled)
        {
            return app;
        }

        var admin = app.MapGroup(SurfacePaths.AdminPrefix).ForAdmin().RequireAuthorization(ApiKeyAuthentication.AdminPolicy).ExcludeFromDescription();
        admin.MapPost("/accounts", CreateAccount);
        admin.MapGet("/accounts", async (AccountStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.AccountsAsync(ct)).Select(AccountView.Of).ToList()));
        admin.MapGet("/accounts/{id:guid}/keys", async (Guid id, AccountStore store, CancellationToken ct) =>
        {
            await store.FindAccountAsync(id, ct);
            return TypedResults.Ok(await store.KeysAsync(id, ct));
        });
        admin.MapGet("/accounts/{id:guid}", async (Guid id, AccountStore store, CancellationToken ct) =>
            TypedResults.Ok(AccountView.Of(await store.FindAccountAsync(id, ct))));
        admin.MapPatch("/accounts/{id:guid}", PatchAccount);
        admin.MapPost("/accounts/{id:guid}/projects", CreateProject);
        admin.MapGet("/accounts/{id:guid}/projects", async (Guid id, AccountStore store, CancellationToken ct) =>
        {
            await store.FindAccountAsync(id, ct);
            return TypedResults.Ok((await store.ProjectsAsync(id, ct)).Select(ProjectView.Of).ToList());
        });
        admin.MapPatch("/projects/{id:guid}", UpdateProject);
        admin.MapPost("/accounts/{id:guid}/environments", CreateEnvironment);
        admin.MapPost("/accounts/{id:guid}/keys", CreateKey);
        admin.MapDelete("/keys/{id:guid}", async (Guid id, AccountStore store, CancellationToken ct) =>
        {
            await store.RevokeKeyAsync(id, ct);
            return TypedResults.NoContent();
        });
        return app;
    }

    private static async Task<Results<Created<AccountView>, ApiError>> CreateAccount(
        CreateAccountRequest request, AccountStore store, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return ApiError.InvalidRequest("name is required.");
        }

        var account = await store.CreateAccountAsync(request.Name.Trim(), request.Credits ?? 0, "admin", http.TraceIdentifier, ct);
        return TypedResults.Created($"/admin/accounts/{account.Id}", AccountView.Of(account));
    }

    private static async Task<Results<Ok<AccountView>, ApiError>> PatchAccount(
        Guid id, PatchAccountRequest request, AccountStore store, CancellationToken ct)
    {
        AccountStatus? status = request.Status switch
        {
            "active" => AccountStatus.Active,
            "disabled" => AccountStatus.Disabled,
            _ => null,
        };
        if (status is null)
        {
            return request.Status is null
                ? ApiError.InvalidRequest("status is required.")
                : ApiError.Unprocessable("status must be 'active' or 'disabled'.");
        }

        return TypedResults.Ok(AccountView.Of(await store.SetStatusAsync(id, status.Value, ct)));
    }

    private static async Task<Results<Created<ProjectView>, ApiError>> CreateProject(
        Guid id, ProjectRequest request, AccountStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return ApiError.InvalidRequest("name is required.");
        }

        var project = await store.CreateProjectAsync(id, request.Name, ct);
        return TypedResults.Created($"/admin/projects/{project.Id}", ProjectView.Of(project));
    }

    private static async Task<Results<Ok<ProjectView>, ApiError>> UpdateProject(
        Guid id, ProjectRequest request, AccountStore store, CancellationToken ct)
    {
        if (request.Name is null && request.IsActive is null)
        {
            return ApiError.InvalidRequest("name or is_active is required.");
        }

        return TypedResults.Ok(ProjectView.Of(await store.UpdateProjectAsync(id, request.Name, request.IsActive, ct)));
    }

    private static async Task<Results<Created<EnvironmentView>, ApiError>> CreateEnvironment(
        Guid id, EnvironmentRequest request, AccountStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return ApiError.InvalidRequest("name is required.");
        }

        var environment = await store.CreateEnvironmentAsync(id, request.Name.Trim(), ct);
        return TypedResults.Created($"/admin/accounts/{id}/environments/{environment.Id}",
            new EnvironmentView(environment.Id, environment.AccountId, environment.Name, environment.CreatedAt));
    }

    private static async Task<Created<KeyCreated>> CreateKey(
        Guid id, KeyRequest? request, AccountStore store, CancellationToken ct)
    {
        var created = await store.CreateKeyAsync(id, request?.ProjectId, request?.Environment, request?.ExpiresAt, request?.AllowedIps, ct);
        var key = created.Key;
        return TypedResults.Created($"/admin/keys/{key.Id}", new KeyCreated(
            key.Id, created.Secret, key.Prefix, created.ProjectId, created.Environment, key.ExpiresAt,
            IpAllowList.FromStored(key.AllowedIps).Blocks));
    }
}
