using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Search;
using Mnemo.Server.Storage;

namespace Mnemo.Server.People;

public static class PeopleSetup
{
    /// <summary>Faces clustered into people per environment; an asset's delete takes its faces, a named person's moments are searchable.</summary>
    public static WebApplicationBuilder AddPeople(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PeopleOptions>().BindConfiguration("Mnemo:People")
            .Validate(o => o.SameFrom is > 0 and < 1 && o.MatchFrom is > 0 and < 1, "Mnemo:People:SameFrom and MatchFrom must be between 0 and 1")
            .ValidateOnStart();
        builder.Services.AddSingleton<PeopleStore>();
        builder.Services.AddScoped<PeopleService>();
        builder.Services.AddSingleton(sp => new DerivedRows((db, assetId, ct) =>
            PeopleStore.RemoveAsync(db, assetId, sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct)));
        builder.Services.AddSingleton(new IndexedEntries(SearchEntryKind.Person, NamedMomentsAsync));
        return builder;
    }

    /// <summary>A search entry per moment of a named person in the asset: the name, over the moment's times.</summary>
    private static async Task<IReadOnlyList<SearchEntry>> NamedMomentsAsync(MnemoDb db, long assetId, CancellationToken ct)
    {
        var named = await (
            from m in db.Set<PersonMoment>().AsNoTracking()
            where m.AssetId == assetId
            join p in db.Set<Person>() on m.PersonId equals p.Id
            where p.Name != null
            orderby m.StartSeconds, m.Id
            select new { p.Name, m.StartSeconds, m.EndSeconds }).ToListAsync(ct);
        return [.. named.Select((n, i) => new SearchEntry
        {
            AssetId = assetId, Kind = SearchEntryKind.Person, ChunkIndex = i, Text = n.Name!, StartTime = n.StartSeconds, EndTime = n.EndSeconds,
        })];
    }
}
