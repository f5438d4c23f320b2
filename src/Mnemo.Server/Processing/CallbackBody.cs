using Mnemo.Server.Assets;

namespace Mnemo.Server.Processing;

/// <summary>A parse ended: what the uploader's callback URL is told.</summary>
public sealed record AssetFinished(long AssetId, AssetStatus Status);

/// <summary>
/// The callback body for a finished asset, in the words of the surface that takes callback URLs (memories v1).
/// That surface registers it at composition; the core stores and sends whatever it returns.
/// </summary>
public delegate string CallbackBody(AssetFinished finished);
