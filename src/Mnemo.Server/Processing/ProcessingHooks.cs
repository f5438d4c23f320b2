namespace Mnemo.Server.Processing;

/// <summary>A seam for tests that must stop a job between parsing and committing (a restart mid-job).</summary>
public sealed class ProcessingHooks
{
    public Func<long, CancellationToken, Task> BeforeCommit { get; set; } = static (_, _) => Task.CompletedTask;
}
