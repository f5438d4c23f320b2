using System.Net;

namespace Mnemo.Client;

/// <summary>
/// The server answered with an error. Carries what a support ticket needs: the HTTP status, the
/// catalog error name (<c>asset_not_found</c>, …; null when the body was not a Mnemo error), the
/// message, the request id the operator finds the log lines by, and the raw body.
/// </summary>
public class MnemoApiException : Exception
{
    /// <summary>An error as the SDK raises it for an error response.</summary>
    /// <param name="httpStatus">The response's HTTP status.</param>
    /// <param name="errorName">The catalog error name; null when the body was not a Mnemo error.</param>
    /// <param name="message">What went wrong: the server's message, or a description of the response.</param>
    /// <param name="requestId">The request id, if the server gave one.</param>
    /// <param name="rawBody">The response body as received.</param>
    public MnemoApiException(HttpStatusCode httpStatus, string? errorName, string message, string? requestId, string rawBody)
        : base(message)
    {
        HttpStatus = httpStatus;
        ErrorName = errorName;
        RequestId = requestId;
        RawBody = rawBody;
    }

    /// <summary>The response's HTTP status (200 for a memories answer that succeeded with no <c>data</c>).</summary>
    public HttpStatusCode HttpStatus { get; }

    /// <summary>The catalog name (see GET /api/v1/errors), or null when the body was not the contract's.</summary>
    public string? ErrorName { get; }

    /// <summary>From <c>X-Request-Id</c>, else from the body; quote it when reporting a problem.</summary>
    public string? RequestId { get; }

    /// <summary>The response body as received (empty when there was none).</summary>
    public string RawBody { get; }

    /// <summary>One line: type, HTTP status, error name, message and request id.</summary>
    public override string ToString() =>
        $"{GetType().Name}: {(int)HttpStatus} {ErrorName ?? "(not a Mnemo error)"}: {Message} (request id {RequestId ?? "none"})";
}

/// <summary>401: the key is missing, unknown, revoked or expired.</summary>
public sealed class AuthenticationException(HttpStatusCode status, string? name, string message, string? requestId, string rawBody)
    : MnemoApiException(status, name, message, requestId, rawBody);

/// <summary>403: the key is valid but not allowed here (disabled account, IP allow-list, environment).</summary>
public sealed class PermissionException(HttpStatusCode status, string? name, string message, string? requestId, string rawBody)
    : MnemoApiException(status, name, message, requestId, rawBody);

/// <summary>402: the account's balance cannot pay for the call.</summary>
public sealed class InsufficientCreditsException(HttpStatusCode status, string? name, string message, string? requestId, string rawBody)
    : MnemoApiException(status, name, message, requestId, rawBody);

/// <summary>404, and the memories surfaces' 400 for an unknown asset or prompt.</summary>
public sealed class NotFoundException(HttpStatusCode status, string? name, string message, string? requestId, string rawBody)
    : MnemoApiException(status, name, message, requestId, rawBody);

/// <summary>409: a duplicate operation, or a file asked for before it is ready.</summary>
public sealed class ConflictException(HttpStatusCode status, string? name, string message, string? requestId, string rawBody)
    : MnemoApiException(status, name, message, requestId, rawBody);

/// <summary>429 after every retry: <see cref="RetryAfter"/> is the server's hint.</summary>
public sealed class RateLimitException(HttpStatusCode status, string? name, string message, string? requestId, string rawBody, TimeSpan? retryAfter)
    : MnemoApiException(status, name, message, requestId, rawBody)
{
    /// <summary>How long the server asked to wait (<c>Retry-After</c>); null when it did not say.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>5xx after every retry.</summary>
public sealed class ServerException(HttpStatusCode status, string? name, string message, string? requestId, string rawBody)
    : MnemoApiException(status, name, message, requestId, rawBody);
