namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>The system clock, moved forward on demand (key expiry without waiting).</summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;

    public void Advance(TimeSpan by) => offset += by;
}

/// <summary>A clock that fails: stands in for a bug deep in a dependency, to see how a crash is answered.</summary>
public sealed class BrokenClock : TimeProvider
{
    public bool Broken { get; set; }

    public override DateTimeOffset GetUtcNow() => Broken
        ? throw new InvalidOperationException("secret internal failure text")
        : base.GetUtcNow();
}
