using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.Memic;

public static class ErrorCatalogRoute
{
    /// <summary>GET /api/v1/errors: the catalog (<see cref="ErrorCatalogApi.View"/>), open without a key.</summary>
    public static RouteGroupBuilder MapErrorCatalog(this RouteGroupBuilder memic)
    {
        memic.MapGet("/errors", () => TypedResults.Ok(ErrorCatalogApi.View))
            .WithMetadata(new PublicEndpoint())
            .WithName("ListErrors")
            .WithSummary("The error catalog: every error any surface can answer, with its cause and solution.");
        return memic;
    }
}
