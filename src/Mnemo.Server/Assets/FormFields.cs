using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Assets;

/// <summary>
/// Reads the plain fields of one form within <see cref="AssetOptions"/>' limits (count, length of each,
/// length of all). Without them, thousands of large fields in one upload were all held in memory.
/// </summary>
public sealed class FormFields(AssetOptions limits)
{
    private int count;
    private long total;

    public async Task<string> ReadAsync(Stream body, string name, CancellationToken ct)
    {
        if (++count > limits.FormMaxFields)
        {
            throw new ApiException(ApiError.InvalidRequest($"At most {limits.FormMaxFields} form fields per request ({Describe(limits)})."));
        }

        var room = (int)Math.Min(limits.FormMaxFieldBytes, limits.FormMaxBytes - total);
        var buffer = ArrayPool<byte>.Shared.Rent(room + 1);
        try
        {
            var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, room + 1), room + 1, throwOnEndOfStream: false, ct);
            if (read > limits.FormMaxFieldBytes)
            {
                throw TooLong(name, limits);
            }

            if (read > room)
            {
                throw new ApiException(new ApiError(ErrorCatalog.FileTooLarge, $"The form fields together are over {Bytes(limits.FormMaxBytes)}."));
            }

            total += read;
            return Encoding.UTF8.GetString(buffer, 0, read).Trim();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The framework's form reader caps a multipart value only by the whole body: the length of each is checked
    /// once it is read (the body limit bounds what that holds meanwhile).
    /// </summary>
    public static void CheckLengths(IFormCollection form, AssetOptions limits)
    {
        foreach (var (name, values) in form)
        {
            if (values.Any(v => v is not null && Encoding.UTF8.GetByteCount(v) > limits.FormMaxFieldBytes))
            {
                throw TooLong(name, limits);
            }
        }
    }

    private static ApiException TooLong(string name, AssetOptions limits) => new(ApiError.InvalidRequest(
        $"The form field '{(name.Length > 64 ? name[..64] + "…" : name)}' is over {Bytes(limits.FormMaxFieldBytes)}."));

    /// <summary>The same limits for the framework's form reader (upload_url, which takes no file).</summary>
    public static FormOptions Options(AssetOptions limits) => new()
    {
        ValueCountLimit = limits.FormMaxFields,
        ValueLengthLimit = limits.FormMaxFieldBytes,
        KeyLengthLimit = 1024,
        MultipartBodyLengthLimit = limits.FormMaxBytes,
        MultipartHeadersCountLimit = 16,
    };

    public static string Describe(AssetOptions limits) =>
        $"at most {limits.FormMaxFields} fields of {Bytes(limits.FormMaxFieldBytes)} each, {Bytes(limits.FormMaxBytes)} in all";

    private static string Bytes(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KiB"
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
