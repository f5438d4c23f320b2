namespace Mnemo.Server.Errors;

/// <summary>One row of the error catalog: everything every surface needs to render one error.</summary>
public sealed record ErrorKind(
    string Name,
    string When,
    int Status,
    string Msg,
    string V1Code,
    string MemicCode,
    string Cause,
    string Solution,
    int? MemoriesStatus = null,
    int? MemicStatus = null)
{
    public int StatusOn(Surface surface) => surface == Surface.Memic
        ? MemicStatus ?? Status
        : MemoriesStatus ?? Status;
}

/// <summary>
/// The one table of errors (CONTRACT.md, "One error catalog"). Renderers, docs/errors.md and
/// GET /api/v1/errors all read it; nothing else invents an error.
/// </summary>
public static class ErrorCatalog
{
    public static readonly ErrorKind InvalidRequest = new(
        "invalid_request", "malformed body, missing or wrong-typed parameter",
        400, "Invalid request parameters", "0001", "invalid_request",
        "One or more parameters are missing, malformed or of the wrong type.",
        "Check that all parameters are correct and meet the API requirements; the detail names the one at fault.");

    public static readonly ErrorKind Unprocessable = new(
        "unprocessable", "well-formed, but a value is rejected (range, enum)",
        422, "Invalid request parameters", "0003", "unprocessable_entity",
        "The request is well-formed but a value is out of range or not one of the allowed values.",
        "Read the detail field and correct the value it names.",
        MemoriesStatus: 400);

    public static readonly ErrorKind InvalidApiKey = new(
        "invalid_api_key", "key missing, malformed, unknown, revoked or expired",
        401, "Unauthorized", "0401", "invalid_api_key",
        "API key is missing, invalid, revoked or expired.",
        "Verify your API key in the Authorization header (memories) or X-API-Key header (memic). Ask your operator for a new key if needed.");

    public static readonly ErrorKind InsufficientCredits = new(
        "insufficient_credits", "the account's balance cannot pay for the call",
        402, "Insufficient balance or credits", "0402", "insufficient_credits",
        "Your account balance is depleted.",
        "Top up your account balance (operators: POST /admin/accounts/{id}/credits).");

    public static readonly ErrorKind AccountDisabled = new(
        "account_disabled", "the account is disabled",
        403, "Forbidden", "0403", "account_disabled",
        "The developer account has been disabled.",
        "Contact your operator to learn more and re-enable the account.");

    public static readonly ErrorKind IpNotAllowed = new(
        "ip_not_allowed", "the caller's IP is outside the key's allow-list",
        403, "Forbidden", "9009", "ip_not_allowed",
        "The request came from an IP address outside the API key's allow-list.",
        "Call from an allowed address, or ask your operator for a key whose allow-list includes it.");

    public static readonly ErrorKind Forbidden = new(
        "forbidden", "key valid, but not bound to this environment or resource",
        403, "Forbidden", "9009", "forbidden",
        "The key is valid but not authorized for this environment or resource.",
        "Verify the key is bound to the correct environment.");

    public static readonly ErrorKind AssetNotFound = new(
        "asset_not_found", "the asset or file id does not exist here, or was deleted",
        404, "Asset not found", "0001", "file_not_found",
        "The asset_id does not exist or has been deleted.",
        "Verify the asset_id is correct. Re-upload the file if it was deleted.",
        MemoriesStatus: 400);

    public static readonly ErrorKind PromptNotFound = new(
        "prompt_not_found", "no prompt of that name has a live version",
        404, "Prompt not found", "0001", "prompt_not_found",
        "No prompt with that name has a live version.",
        "Check the prompt name, or set a live version of it.",
        MemoriesStatus: 400);

    public static readonly ErrorKind RouteNotFound = new(
        "route_not_found", "no such route",
        404, "Not found", "0404", "not_found",
        "No route matches this path.",
        "Check the path against the API reference (/docs).");

    public static readonly ErrorKind MethodNotAllowed = new(
        "method_not_allowed", "route exists, method does not",
        405, "Method not allowed", "0405", "method_not_allowed",
        "The route exists but does not accept this HTTP method.",
        "Use one of the methods listed in the Allow header.");

    public static readonly ErrorKind DuplicateRequest = new(
        "duplicate_request", "the same operation again (a second delete; an idempotency key reused with another body, or still in flight)",
        409, "Request conflict or duplicate request", "0409", "duplicate_request",
        "The operation was already done (e.g. deleting twice), or an Idempotency-Key was reused with another body or while its first request is still running.",
        "Inspect the error; usually non-retryable. Use a new Idempotency-Key for a new operation.");

    public static readonly ErrorKind FileStillProcessing = new(
        "file_still_processing", "content or results asked for before parsing finished",
        409, "File is still processing", "0409", "file_still_processing",
        "The file is not yet ready.",
        "Poll the file's status until it is ready, then ask again.");

    public static readonly ErrorKind FileTooLarge = new(
        "file_too_large", "upload over the size limit",
        413, "File too large", "0413", "file_too_large",
        "The request body or file exceeds the size limit.",
        "Send a smaller file, or ask your operator to raise the limit.");

    public static readonly ErrorKind UnsupportedMediaType = new(
        "unsupported_media_type", "the request's Content-Type is wrong for the route",
        415, "Unsupported media type", "0415", "unsupported_media_type",
        "The request's Content-Type is wrong for this route.",
        "Send the Content-Type the route expects (application/json, or multipart/form-data for uploads).");

    /// <summary>The contract's unsupported_media_type row, for the uploaded file's own format: memic names it apart.</summary>
    public static readonly ErrorKind InvalidFileType = new(
        "invalid_file_type", "the uploaded file's real format (or declared mime_type) is not supported",
        415, "Unsupported media type", "0415", "invalid_file_type",
        "The uploaded file format is not supported.",
        "Check the supported file formats in the upload documentation; the detail names the file.",
        MemicStatus: 400);

    public static readonly ErrorKind RateLimitExceeded = new(
        "rate_limit_exceeded", "over the limit for this account and route class",
        429, "Rate limit exceeded", "0429", "rate_limit_exceeded",
        "Too many requests in a short time.",
        "Wait the seconds given in Retry-After, then retry; implement retry logic with exponential backoff.");

    public static readonly ErrorKind InternalError = new(
        "internal_error", "a bug: anything unexpected",
        500, "Internal server error", "0500", "internal_error",
        "Server-side issue.",
        "Retry after a few seconds. If persistent, report it with the request id.");

    public static readonly ErrorKind ServiceUnavailable = new(
        "service_unavailable", "a dependency (database, store, queue) is down or overloaded",
        503, "Service unavailable", "0503", "service_unavailable",
        "A dependency of the server (database, file store, queue) is down or overloaded.",
        "Retry after the seconds given in Retry-After, with exponential backoff.");

    public static IReadOnlyList<ErrorKind> All { get; } =
    [
        InvalidRequest, Unprocessable, InvalidApiKey, InsufficientCredits, AccountDisabled,
        IpNotAllowed, Forbidden, AssetNotFound, PromptNotFound, RouteNotFound, MethodNotAllowed,
        DuplicateRequest, FileStillProcessing, FileTooLarge, UnsupportedMediaType, InvalidFileType,
        RateLimitExceeded, InternalError, ServiceUnavailable,
    ];

    public static ErrorKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The error a bare status code stands for, when the framework answered without a body.</summary>
    public static ErrorKind ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => InvalidApiKey,
        402 => InsufficientCredits,
        403 => Forbidden,
        404 => RouteNotFound,
        405 => MethodNotAllowed,
        409 => DuplicateRequest,
        413 => FileTooLarge,
        415 => UnsupportedMediaType,
        422 => Unprocessable,
        429 => RateLimitExceeded,
        503 => ServiceUnavailable,
        >= 400 and < 500 => InvalidRequest,
        _ => InternalError,
    };
}
