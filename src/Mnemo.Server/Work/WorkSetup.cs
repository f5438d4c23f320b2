namespace Mnemo.Server.Work;

public static class WorkSetup
{
    /// <summary>
    /// One kind of leased work: its table, its policy, what a worker does with a row (<typeparamref name="TWork"/>,
    /// scoped), the signal that wakes idle workers, and the workers.
    /// </summary>
    public static IServiceCollection AddLeasedWork<T, TWork>(
        this IServiceCollection services, Func<IServiceProvider, LeaseTable<T>> table, Func<IServiceProvider, WorkPolicy> policy)
        where T : class, ILeasedRow
        where TWork : class, IWork<T>
    {
        services.AddSingleton(table);
        services.AddSingleton<WorkSignal<T>>();
        services.AddScoped<IWork<T>, TWork>();
        services.AddHostedService(sp => new LeasedWorkers<T>(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<LeaseTable<T>>(), sp.GetRequiredService<WorkSignal<T>>(),
            policy(sp), sp.GetRequiredService<ILogger<LeasedWorkers<T>>>()));
        return services;
    }
}
