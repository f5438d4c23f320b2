namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>A request to a server process that died by itself fails with the server's last words, not just "connection refused".</summary>
public sealed class ExitedServerHandler(ServerProcess server) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (server.ExitedWith is { } exited)
        {
            throw new InvalidOperationException("The server process exited by itself, " + exited, e);
        }
    }
}
