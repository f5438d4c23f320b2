using System.Collections;
using System.Collections.Concurrent;

namespace Mnemo.Server.Hosting;

/// <summary>
/// Wraps the logger factory so every logger, whichever provider writes it (the JSON console, a test's
/// capture), gets messages, structured values, scopes and exceptions with secrets redacted
/// (<see cref="SecretRedaction"/>). A line with nothing to redact passes through as it was: the check is a
/// regex over its text values, no copy.
/// <para>
/// A line written while a request is served gets the request's scope (RequestId, RequestPath), as hosting's
/// own scope would give it. Hosting opens its scope for every request, and an Activity with it, even when
/// nothing is logged, which for a status poll is most of the time: about a third of the allocations of a
/// poll. Here the scope costs only when a line is written; hosting's logger is off (Logging.cs).
/// </para>
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner, CurrentRequest? requests = null) : ILoggerFactory
{
    // One per category, as the inner factory keeps them: some loggers are asked for per request (an
    // authentication handler's), and the inner factory answers under a lock.
    private readonly ConcurrentDictionary<string, ILogger> loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        loggers.GetOrAdd(categoryName, static (category, with) => new RedactingLogger(with.inner.CreateLogger(category), with.requests), (inner, requests));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, CurrentRequest? requests) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            NeedsRedaction(state) ? inner.BeginScope(RedactedState.Of(state, SecretRedaction.Redact(state.ToString() ?? ""))) : inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (requests?.HttpContext is not { } request || !inner.IsEnabled(logLevel))
            {
                Write(logLevel, eventId, state, exception, formatter);
                return;
            }

            using var scope = BeginScope(new RequestScope(request.TraceIdentifier, request.Request.Path.Value));
            Write(logLevel, eventId, state, exception, formatter);
        }

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1873",
            Justification = "A decorator: it redacts a line already being logged, and only when the line holds a secret.")]
        private void Write<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var exceptionNeeds = exception is not null && SecretRedaction.IsNeeded(exception.ToString());
            if (!exceptionNeeds && !NeedsRedaction(state))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var message = SecretRedaction.Redact(formatter(state, exception));
            inner.Log(logLevel, eventId, RedactedState.Of(state, message), exceptionNeeds ? new RedactedException(exception!) : exception,
                static (s, _) => s.ToString());
        }

        private static bool NeedsRedaction<TState>(TState state)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
            {
                for (var i = 0; i < pairs.Count; i++)
                {
                    if (SecretRedaction.IsNeeded(pairs[i].Value))
                    {
                        return true;
                    }
                }

                return false;
            }

            return SecretRedaction.IsNeeded(state);
        }
    }

    /// <summary>The request's scope, keyed as hosting's.</summary>
    private sealed class RequestScope(string requestId, string? requestPath) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("RequestId", requestId),
            1 => new("RequestPath", requestPath),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public int Count => 2;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestPath:{requestPath} RequestId:{requestId}";
    }

    /// <summary>A log state or scope with its values redacted; structured as the original was.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> pairs, string text) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public static RedactedState Of<TState>(TState state, string text) => new(
            state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? [.. pairs.Select(p => new KeyValuePair<string, object?>(p.Key, SecretRedaction.Redact(p.Value)))]
                : [],
            text);

        public KeyValuePair<string, object?> this[int index] => pairs[index];

        public int Count => pairs.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => pairs.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => text;
    }

    /// <summary>An exception whose text (message, inner exceptions, stack) is the original's, redacted.</summary>
    private sealed class RedactedException(Exception original) : Exception(SecretRedaction.Redact(original.Message))
    {
        public override string ToString() => SecretRedaction.Redact(original.ToString());

        public override string? StackTrace => null;
    }
}
