using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Search.Semantic;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Search;

public static class SearchSetup
{
    public static WebApplicationBuilder AddSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>().BindConfiguration("Mnemo:Search");
        builder.Services.AddOptions<EmbedderOptions>().BindConfiguration("Mnemo:Search:Embedder");
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton<Embeddings>();
        builder.Services.AddSingleton<SearchVectors>();
        builder.Services.AddSingleton<VectorSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VectorSync>());
        builder.Services.AddSingleton<EmbeddingBackfill>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddingBackfill>());
        builder.Services.AddSingleton<CommonWords>();
        builder.Services.AddScoped<SearchIndex>();
        builder.Services.AddScoped<SearchService>();
        builder.Services.AddScoped<Images.ImageSearch>();
        builder.Services.AddSingleton(new DerivedRows((db, assetId, ct) => Images.ImageFeaturesModel.DeleteAsync(db, assetId, ct)));
        builder.Services.AddSingleton(new DerivedRows((db, assetId, ct) => db.SearchEntries.Where(e => e.AssetId == assetId).ExecuteDeleteAsync(ct)));
        builder.Services.AddSingleton(new StoreScript(SearchModel.SqliteFullText, SearchModel.PostgresFullText));
        return builder;
    }
}
