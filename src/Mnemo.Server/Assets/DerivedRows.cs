using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// Rows a folder above Assets derives from an asset (search entries), deleted in the transaction that deletes
/// the asset; the folder registers its own, so Assets names none of them.
/// </summary>
public sealed record DerivedRows(Func<MnemoDb, long, CancellationToken, Task> DeleteAsync);
