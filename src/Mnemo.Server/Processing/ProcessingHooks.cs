namespace Mnemo.Server.Processing;

/// <summary>Seams for tests that must stop a job between parsing and committing (a restart mid-job, a delete mid-commit).</summary>
public sealed class ProcessingHooks
{
    public Func<long, CancellationToken, Task> BeforeCommit { get; set; } = static (_, _) => Task.CompletedTask;

    /// <summary>Inside the commit's transaction, once it holds its first row lock.</summary>
    public Func<long, Task> InsideCommit { get; set; } = static _ => Task.CompletedTask;
}
