namespace Mnemo.Server.Prompts;

public static class PromptsSetup
{
    public static WebApplicationBuilder AddPrompts(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PromptStore>();
        return builder;
    }
}
