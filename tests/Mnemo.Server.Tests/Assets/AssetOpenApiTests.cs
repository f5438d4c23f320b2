using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

public sealed class AssetOpenApiTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Theory]
    [InlineData("memories-v1", "/serve/api/v1/upload", "/serve/api/v1/upload_url", "/serve/api/v1/upload_img", "/serve/api/v1/list_videos",
        "/serve/api/v1/get_metadata", "/serve/api/v1/download", "/serve/api/v1/get_video_transcription", "/serve/api/v1/delete_videos")]
    [InlineData("memories-v2", "/serve/api/v2/upload", "/serve/api/v2/upload/signed-url", "/serve/api/v2/uploads/{token}",
        "/serve/api/v2/{asset_id}/metadata", "/serve/api/v2/{asset_id}/download", "/serve/api/v2/{asset_id}")]
    [InlineData("memic", "/api/v1/files", "/api/v1/files/init", "/api/v1/uploads/{token}", "/api/v1/files/{id}/confirm",
        "/api/v1/files/{id}", "/api/v1/files/{id}/status", "/api/v1/files/{id}/content")]
    public async Task EveryAssetRouteIsInItsSurfacesOpenApiDocument(string document, params string[] paths)
    {
        using var client = server.Anonymous();
        var documented = (await (await client.GetAsync($"/openapi/{document}.json")).BodyAsync()).GetProperty("paths");
        foreach (var path in paths)
        {
            documented.TryGetProperty(path, out _).ShouldBeTrue(path);
        }
    }

    [Fact]
    public async Task UploadBodiesAreDescribedAsMultipart()
    {
        using var client = server.Anonymous();
        var upload = (await (await client.GetAsync("/openapi/memories-v1.json")).BodyAsync())
            .GetProperty("paths").GetProperty("/serve/api/v1/upload").GetProperty("post");
        upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _).ShouldBeTrue();
    }
}
