namespace Mnemo.Server.Search;

public static class SearchSetup
{
    public static WebApplicationBuilder AddSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SearchIndex>();
        builder.Services.AddScoped<SearchService>();
        return builder;
    }
}
