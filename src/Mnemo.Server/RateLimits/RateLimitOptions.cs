namespace Mnemo.Server.RateLimits;

/// <summary><see cref="Permits"/> requests per fixed window of <see cref="WindowSeconds"/>.</summary>
public sealed class RateLimitRule
{
    public int Permits { get; set; }
    public int WindowSeconds { get; set; } = 1;

    public static RateLimitRule PerSecond(int permits) => new() { Permits = permits, WindowSeconds = 1 };
    public static RateLimitRule PerMinute(int permits) => new() { Permits = permits, WindowSeconds = 60 };
}

/// <summary>"Mnemo:RateLimits": CONTRACT.md's table. memories budgets are per account, memic's per API key.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    public Dictionary<RateLimitClass, RateLimitRule> Memories { get; set; } = new()
    {
        [RateLimitClass.Upload] = RateLimitRule.PerSecond(1),
        [RateLimitClass.Search] = RateLimitRule.PerSecond(10),
        [RateLimitClass.Status] = RateLimitRule.PerSecond(5),
        [RateLimitClass.ListDelete] = RateLimitRule.PerSecond(5),
        [RateLimitClass.Download] = RateLimitRule.PerMinute(12),
        [RateLimitClass.VideoTasks] = RateLimitRule.PerSecond(5),
    };

    public Dictionary<RateLimitClass, RateLimitRule> Memic { get; set; } = new()
    {
        [RateLimitClass.Upload] = RateLimitRule.PerMinute(120),
        [RateLimitClass.Search] = RateLimitRule.PerMinute(60),
        [RateLimitClass.Status] = RateLimitRule.PerMinute(300),
        [RateLimitClass.ListDelete] = RateLimitRule.PerMinute(120),
        [RateLimitClass.Prompts] = RateLimitRule.PerMinute(600),
    };
}
