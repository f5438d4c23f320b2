using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Prompts;

/// <summary>Prompt rules, once: names, immutable versions, the live pointer, rendering.</summary>
public sealed partial class PromptStore(MnemoDb db, TimeProvider time)
{
    public const int MaxBodyChars = 100_000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")]
    private static partial Regex ValidName();

    public sealed record Versioned(Prompt Prompt, PromptVersion Version);

    private IQueryable<Prompt> PromptsOf(Caller caller) =>
        db.Prompts.Where(p => p.AccountId == caller.AccountId && p.EnvironmentId == caller.EnvironmentId);

    public async Task<Versioned> AddVersionAsync(Caller caller, string name, string body, IReadOnlyList<string>? variables, CancellationToken ct)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new ApiException(ApiError.Unprocessable("name must be 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit."));
        }

        if (body.Length > MaxBodyChars)
        {
            throw new ApiException(ApiError.Unprocessable($"body must be at most {MaxBodyChars} characters."));
        }

        var used = PromptTemplate.VariablesOf(body);
        var declared = variables ?? used;
        if (declared.FirstOrDefault(v => !PromptTemplate.IsValidName(v)) is { } bad)
        {
            throw new ApiException(ApiError.Unprocessable($"variables: '{bad}' is not a valid variable name."));
        }

        if (used.FirstOrDefault(v => !declared.Contains(v)) is { } undeclared)
        {
            throw new ApiException(ApiError.Unprocessable($"body uses variable '{undeclared}', which variables does not declare."));
        }

        return await InsertVersionAsync(caller, name, body, string.Join('\n', declared.Distinct()), ct);
    }

    /// <summary>
    /// The next number comes from an UPDATE of the prompt's row (LatestVersion + 1) inside the transaction
    /// that inserts the version: concurrent writers of one prompt queue on that row's lock (PostgreSQL) or
    /// on the single writer (SQLite), and each gets the next number, with no retry to run out of.
    /// </summary>
    private async Task<Versioned> InsertVersionAsync(Caller caller, string name, string body, string variables, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var promptId = await EnsurePromptAsync(caller, name, now, ct);
        await db.Prompts.Where(p => p.Id == promptId).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.LatestVersion, p => p.LatestVersion + 1)
            .SetProperty(p => p.UpdatedAt, now), ct);
        var number = await db.Prompts.Where(p => p.Id == promptId).Select(p => p.LatestVersion).SingleAsync(ct);

        // The first version goes live (nothing else could be); later ones wait until set live on purpose.
        await db.Prompts.Where(p => p.Id == promptId && p.LiveVersion == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LiveVersion, number), ct);
        var version = new PromptVersion { PromptId = promptId, Number = number, Body = body, Variables = variables, CreatedAt = now };
        db.PromptVersions.Add(version);
        await db.SaveChangesAsync(ct);
        var prompt = await db.Prompts.AsNoTracking().SingleAsync(p => p.Id == promptId, ct);
        await transaction.CommitAsync(ct);
        return new Versioned(prompt, version);
    }

    /// <summary>The prompt's id, creating it if new; of two creators one inserts and the other finds its row.</summary>
    private async Task<Guid> EnsurePromptAsync(Caller caller, string name, DateTime now, CancellationToken ct)
    {
        if (await PromptsOf(caller).Where(p => p.Name == name).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct) is { } existing)
        {
            return existing;
        }

        var transaction = db.Database.CurrentTransaction!;
        await transaction.CreateSavepointAsync("prompt", ct);
        var prompt = new Prompt { AccountId = caller.AccountId, EnvironmentId = caller.EnvironmentId, Name = name, CreatedAt = now, UpdatedAt = now };
        db.Prompts.Add(prompt);
        try
        {
            await db.SaveChangesAsync(ct);
            return prompt.Id;
        }
        catch (DbUpdateException)
        {
            // The unique index made the other creator wait for us or us for it: its row is committed now.
            await transaction.RollbackToSavepointAsync("prompt", ct);
            db.Entry(prompt).State = EntityState.Detached;
            return await PromptsOf(caller).Where(p => p.Name == name).Select(p => p.Id).SingleAsync(ct);
        }
        finally
        {
            db.Entry(prompt).State = EntityState.Detached; // the caller reads the row as it is after the UPDATE
        }
    }

    public async Task<Versioned> LiveAsync(Caller caller, string name, CancellationToken ct)
    {
        var prompt = await FindAsync(caller, name, ct);
        if (prompt.LiveVersion is not { } live)
        {
            throw NotFound($"Prompt '{name}' has no live version.");
        }

        var version = await db.PromptVersions.AsNoTracking().SingleAsync(v => v.PromptId == prompt.Id && v.Number == live, ct);
        return new Versioned(prompt, version);
    }

    public async Task<(Prompt Prompt, IReadOnlyList<PromptVersion> Versions)> VersionsAsync(Caller caller, string name, CancellationToken ct)
    {
        var prompt = await FindAsync(caller, name, ct);
        var versions = await db.PromptVersions.AsNoTracking().Where(v => v.PromptId == prompt.Id).OrderBy(v => v.Number).ToListAsync(ct);
        return (prompt, versions);
    }

    public async Task<Versioned> SetLiveAsync(Caller caller, string name, int number, CancellationToken ct)
    {
        var prompt = await PromptsOf(caller).FirstOrDefaultAsync(p => p.Name == name, ct) ?? throw NotFound($"Prompt '{name}' not found.");
        var version = await db.PromptVersions.AsNoTracking().FirstOrDefaultAsync(v => v.PromptId == prompt.Id && v.Number == number, ct)
            ?? throw NotFound($"Prompt '{name}' has no version {number}.");
        prompt.LiveVersion = number;
        prompt.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return new Versioned(prompt, version);
    }

    public async Task<(IReadOnlyList<Prompt> Items, int Total)> ListAsync(Caller caller, int page, int pageSize, CancellationToken ct)
    {
        var query = PromptsOf(caller).AsNoTracking();
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(p => p.Name).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (items, total);
    }

    private async Task<Prompt> FindAsync(Caller caller, string name, CancellationToken ct) =>
        await PromptsOf(caller).AsNoTracking().FirstOrDefaultAsync(p => p.Name == name, ct)
        ?? throw NotFound($"Prompt '{name}' not found.");

    private static ApiException NotFound(string detail) => new(new ApiError(ErrorCatalog.PromptNotFound, detail));
}
