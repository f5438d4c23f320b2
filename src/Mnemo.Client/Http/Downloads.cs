namespace Mnemo.Client.Http;

internal static class Downloads
{
    /// <summary>
    /// GETs bytes into <paramref name="destination"/>. Retries cover getting the answer; a transfer broken
    /// half-way surfaces as an exception (the destination may then hold part of the file).
    /// </summary>
    public static async Task<string?> CopyAsync(
        MnemoTransport transport, string path, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), transfer: true, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[81920];
        long copied = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            copied += read;
            progress?.Report(copied);
        }

        var disposition = response.Content.Headers.ContentDisposition;
        return (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"');
    }
}
