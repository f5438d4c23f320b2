using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Prompts;

/// <summary>A named prompt of one account environment; its versions are immutable, one of them live.</summary>
public sealed class Prompt
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid AccountId { get; init; }
    public Guid EnvironmentId { get; init; }
    public required string Name { get; init; }
    public int LatestVersion { get; set; }
    public int? LiveVersion { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class PromptVersion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid PromptId { get; init; }
    public int Number { get; init; }
    public required string Body { get; init; }

    /// <summary>The variable names, newline-separated.</summary>
    public required string Variables { get; init; }

    public DateTime CreatedAt { get; init; }

    public IReadOnlyList<string> VariableList => Variables.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

public static class PromptsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Prompt>(e =>
        {
            e.ToTable("prompts");
            e.Property(p => p.Name).HasMaxLength(200);
            e.HasIndex(p => new { p.AccountId, p.EnvironmentId, p.Name }).IsUnique();
        });
        model.Entity<PromptVersion>(e =>
        {
            e.ToTable("prompt_versions");
            e.HasIndex(v => new { v.PromptId, v.Number }).IsUnique();
            e.HasOne<Prompt>().WithMany().HasForeignKey(v => v.PromptId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
