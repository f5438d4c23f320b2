namespace Mnemo.Client.Http;

internal static class Polling
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(5);

    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> poll, Func<T, bool> done, TimeSpan? timeout, string what, CancellationToken cancellationToken)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        var wait = First;
        while (true)
        {
            var value = await poll(cancellationToken);
            if (done(value))
            {
                return value;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{what} was still not ready after {limit.TotalSeconds:0.#} s.");
            }

            await Task.Delay(wait < left ? wait : left, cancellationToken);
            wait = wait * 2 < Longest ? wait * 2 : Longest;
        }
    }
}
