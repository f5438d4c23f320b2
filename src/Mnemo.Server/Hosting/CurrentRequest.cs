namespace Mnemo.Server.Hosting;

/// <summary>
/// The request this async flow serves, for code below the endpoints that needs its id, its idempotency
/// record or a header (charges, downloads, the request's log scope). It stands where
/// <see cref="IHttpContextAccessor"/> would: with that registered, hosting makes a new HttpContext (with its
/// request and response objects) for every request instead of reusing the connection's, which is a fifth
/// of what a status poll allocates. Set by the first middleware and cleared when the request ends: the
/// holder is shared by every flow the request reached, so a task that outlives the request finds no
/// request, never the next one served on the same reused HttpContext.
/// </summary>
public sealed class CurrentRequest
{
    private static readonly AsyncLocal<Holder?> Current = new();

    public HttpContext? HttpContext => Current.Value?.Context;

    /// <summary>Outermost: names the request, then serves it as the current one until it ends.</summary>
    public static IApplicationBuilder UseCurrentRequest(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        RequestIds.Assign(context);
        var holder = new Holder(context);
        Current.Value = holder;
        try
        {
            await next(context);
        }
        finally
        {
            holder.Context = null;
        }
    });

    private sealed class Holder(HttpContext context)
    {
        public HttpContext? Context { get; set; } = context;
    }
}
