using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Mnemo.Server.Storage;

/// <summary>
/// The same keys in an S3-compatible bucket. Uploads and tools' scratch copies stay on the instance's local
/// MNEMO_DATA_DIR; originals, thumbnails and clips live only in the bucket, so instances share no directory.
/// </summary>
public sealed class S3BlobStore(IAmazonS3 s3, IOptions<StorageOptions> options) : IBlobStore
{
    private string Bucket => options.Value.S3.Bucket!;

    private long PartSize => Math.Max(options.Value.S3.PartSizeBytes, 5L * 1024 * 1024); // S3's smallest part

    /// <summary>
    /// One PUT up to the part size, a multipart upload above it, so a multi-GB original never sits in memory.
    /// Payloads are signed whole rather than in aws-chunked framing, which not every S3-compatible store reads.
    /// </summary>
    public async Task PutAsync(string key, string localFile, CancellationToken ct)
    {
        var length = new FileInfo(localFile).Length;
        if (length <= PartSize)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, FilePath = localFile, UseChunkEncoding = false }, ct);
        }
        else
        {
            await PutInPartsAsync(key, localFile, length, ct);
        }

        File.Delete(localFile);
    }

    private async Task PutInPartsAsync(string key, string localFile, long length, CancellationToken ct)
    {
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key }, ct);
        try
        {
            var parts = new List<PartETag>();
            for (var (number, position) = (1, 0L); position < length; number++, position += PartSize)
            {
                var part = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = Bucket, Key = key, UploadId = upload.UploadId, PartNumber = number,
                    FilePath = localFile, FilePosition = position, PartSize = Math.Min(PartSize, length - position), UseChunkEncoding = false,
                }, ct);
                parts.Add(new PartETag(number, part.ETag));
            }

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, ct);
        }
        catch
        {
            await s3.AbortMultipartUploadAsync(Bucket, key, upload.UploadId, CancellationToken.None);
            throw;
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(Bucket, key, ct);
            return new S3ReadStream(s3, Bucket, key, head.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<string> LocalPathAsync(string key, string scratchDir, CancellationToken ct)
    {
        var path = Path.Combine(scratchDir, "original");
        try
        {
            using var response = await s3.GetObjectAsync(Bucket, key, ct);
            await using var target = File.Create(path);
            await response.ResponseStream.CopyToAsync(target, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Like a missing file on disk: the tool that opens the path says so.
        }

        return path;
    }

    public async Task DeleteFolderAsync(string folder, CancellationToken ct)
    {
        var list = new ListObjectsV2Request { BucketName = Bucket, Prefix = folder };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(list, ct);
            if (page.S3Objects is { Count: > 0 } objects)
            {
                await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = Bucket,
                    Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })],
                }, ct);
            }

            list.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }
}
