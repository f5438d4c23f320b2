using Mnemo.Server.Errors;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Errors;

public sealed class ErrorDocsTests
{
    [Fact]
    public void DocsErrorsMdIsGeneratedFromTheCatalog()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "errors.md");
        var expected = ErrorCatalogApi.RenderMarkdown();
        if (Environment.GetEnvironmentVariable("MNEMO_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        File.Exists(path).ShouldBeTrue("docs/errors.md is missing: run the tests with MNEMO_WRITE_DOCS=1");
        File.ReadAllText(path).ShouldBe(expected, "docs/errors.md is stale: run the tests with MNEMO_WRITE_DOCS=1");
    }

    [Fact]
    public void CatalogHoldsEveryContractRowOnce()
    {
        ErrorCatalog.All.Select(k => k.Name).ShouldBe(
        [
            "invalid_request", "unprocessable", "invalid_api_key", "insufficient_credits", "account_disabled",
            "ip_not_allowed", "forbidden", "asset_not_found", "prompt_not_found", "route_not_found",
            "method_not_allowed", "duplicate_request", "file_still_processing", "file_too_large",
            "unsupported_media_type", "invalid_file_type", "rate_limit_exceeded", "internal_error", "service_unavailable",
        ]);
    }
}
