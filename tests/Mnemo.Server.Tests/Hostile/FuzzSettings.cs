namespace Mnemo.Server.Tests.Hostile;

/// <summary>
/// CI runs the fixed catalogue plus a few random rounds from a fixed seed; by hand, set
/// MNEMO_FUZZ_COUNT (random requests per route) and MNEMO_FUZZ_SEED for a longer or different pass.
/// </summary>
public static class FuzzSettings
{
    public static int Seed { get; } = Read("MNEMO_FUZZ_SEED", 1717);

    public static int Count { get; } = Read("MNEMO_FUZZ_COUNT", 6);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value >= 0 ? value : fallback;
}
