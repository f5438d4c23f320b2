using Amazon.Runtime;
using Amazon.S3;

namespace Mnemo.Server.Storage;

public static class BlobStoreSetup
{
    /// <summary>The data directory by default; <c>Mnemo:Storage:S3:Bucket</c> moves the stored bytes to S3.</summary>
    public static WebApplicationBuilder AddBlobStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration("Mnemo:Storage");
        var s3 = builder.Configuration.GetSection("Mnemo:Storage:S3").Get<StorageOptions.S3Settings>();
        if (string.IsNullOrWhiteSpace(s3?.Bucket))
        {
            builder.Services.AddSingleton<IBlobStore, DiskBlobStore>();
            return builder;
        }

        builder.Services.AddSingleton<IAmazonS3>(_ => Client(s3));
        builder.Services.AddSingleton<IBlobStore, S3BlobStore>();
        return builder;
    }

    private static AmazonS3Client Client(StorageOptions.S3Settings s3)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            AuthenticationRegion = s3.Region,
            // Checksums only where S3 requires them: not every S3-compatible store knows the newer trailers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(s3.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region);
        }
        else
        {
            config.ServiceURL = s3.ServiceUrl;
        }

        return s3.AccessKey is { Length: > 0 }
            ? new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config)
            : new AmazonS3Client(config);
    }
}
