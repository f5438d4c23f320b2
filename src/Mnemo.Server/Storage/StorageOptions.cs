namespace Mnemo.Server.Storage;

/// <summary><c>Mnemo:Storage</c>: where stored bytes live. No bucket: the data directory (the default).</summary>
public sealed class StorageOptions
{
    public S3Settings S3 { get; set; } = new();

    public sealed class S3Settings
    {
        /// <summary>Setting it moves the stored bytes to this bucket (it must exist).</summary>
        public string? Bucket { get; set; }

        /// <summary>An S3-compatible endpoint (MinIO, Ceph, …); unset means AWS in <see cref="Region"/>.</summary>
        public string? ServiceUrl { get; set; }

        public string Region { get; set; } = "us-east-1";

        /// <summary>Unset: the AWS SDK's own credential chain (environment, profile, instance role).</summary>
        public string? AccessKey { get; set; }

        public string? SecretKey { get; set; }

        /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), what most self-hosted stores want.</summary>
        public bool ForcePathStyle { get; set; } = true;

        /// <summary>Files up to this size go in one PUT; larger ones in parts of this size (5 MB at least).</summary>
        public long PartSizeBytes { get; set; } = 64L * 1024 * 1024;
    }
}
