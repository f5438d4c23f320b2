using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Search;

public static class SearchSetup
{
    public static WebApplicationBuilder AddSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SearchIndex>();
        builder.Services.AddScoped<SearchService>();
        builder.Services.AddSingleton(new DerivedRows((db, assetId, ct) => db.SearchEntries.Where(e => e.AssetId == assetId).ExecuteDeleteAsync(ct)));
        builder.Services.AddSingleton(new StoreScript(SearchModel.SqliteFullText, SearchModel.PostgresFullText));
        return builder;
    }
}
