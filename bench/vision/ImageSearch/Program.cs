using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mnemo.Server.Search.Images;
using Mnemo.Server.Search.Semantic;
using Mnemo.Server.Tools;
using Mnemo.Server.Understanding;

// Usage: dotnet run -c Release --project bench/vision/ImageSearch
// The gallery is Debian's darknet photos; each is altered five ways (re-encoded at low JPEG quality, halved, cropped
// to its central 80 %, cropped to a 60 % corner, mirrored) and asked for: is the right photo the first answer, and at
// what cosine and score? Unrelated pictures (ffmpeg's test patterns, a flat colour, noise) give the cosines a photo of
// nothing in the gallery reaches. Then the time per picture: ffmpeg's decode alone, and decode plus the two models.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var photos = new[] { "dog", "eagle", "giraffe", "horses", "kite", "person", "scream" };
var work = Directory.CreateTempSubdirectory("mnemo-image-bench-").FullName;
var tools = new ToolRunner(Options.Create(new ToolOptions()), NullLogger<ToolRunner>.Instance);
using var features = new ImageFeatures(tools, Options.Create(new ImageFeatureOptions()), NullLogger<ImageFeatures>.Instance);
var load = Stopwatch.StartNew();
if (!features.Available)
{
    Console.Error.WriteLine($"The model is missing: {string.Join(", ", features.Missing())}");
    return 1;
}

Console.WriteLine($"models loaded in {load.ElapsedMilliseconds} ms");

async Task<float[]> VectorAsync(string path) => Vectors.Unit((await features.OfAsync(path, null, work, CancellationToken.None)).Vector);

async Task<string> MakeAsync(string name, params string[] args)
{
    var path = Path.Combine(work, name);
    var run = await tools.RunAsync("ffmpeg", ["-v", "error", "-y", .. args, path], CancellationToken.None);
    if (run.ExitCode != 0)
    {
        throw new InvalidOperationException(run.Stderr);
    }

    return path;
}

string Photo(string p) => $"/usr/share/darknet/data/{p}.jpg";

var gallery = new Dictionary<string, float[]>();
foreach (var p in photos)
{
    gallery[p] = await VectorAsync(Photo(p));
}

var variants = new (string Name, string Filter, string Ext)[]
{
    ("re-encoded q=25", "null", "jpg"),
    ("halved", "scale=iw/2:-2", "jpg"),
    ("central 80 %", "crop=iw*0.8:ih*0.8", "jpg"),
    ("corner 60 %", "crop=iw*0.6:ih*0.6:0:0", "png"),
    ("mirrored", "hflip", "jpg"),
};
Console.WriteLine("variant          top-1   same-photo cosine (min/median)   best other photo cosine (max)");
var same = new List<double>();
var others = new List<double>();
foreach (var (name, filter, ext) in variants)
{
    var hits = 0;
    var sameHere = new List<double>();
    var otherHere = new List<double>();
    foreach (var p in photos)
    {
        var path = await MakeAsync($"{p}-{name.Replace(' ', '_').Replace('%', 'p')}.{ext}", "-i", Photo(p), "-vf", filter, "-q:v", "25");
        var v = await VectorAsync(path);
        var ranked = gallery.Select(g => (g.Key, Cosine: (double)Vectors.Dot(v, g.Value))).OrderByDescending(x => x.Cosine).ToList();
        hits += ranked[0].Key == p ? 1 : 0;
        sameHere.Add(ranked.Single(r => r.Key == p).Cosine);
        otherHere.Add(ranked.Where(r => r.Key != p).Max(r => r.Cosine));
    }

    same.AddRange(sameHere);
    others.AddRange(otherHere);
    Console.WriteLine($"{name,-16} {hits}/{photos.Length}   {sameHere.Min():F3} / {Median(sameHere):F3} (score {ImageScore.Of(sameHere.Min()):F2} / {ImageScore.Of(Median(sameHere)):F2})   {otherHere.Max():F3} (score {ImageScore.Of(otherHere.Max()):F2})");
}

var crossPhoto = photos.SelectMany(a => photos.Where(b => string.CompareOrdinal(a, b) < 0).Select(b => (double)Vectors.Dot(gallery[a], gallery[b]))).ToList();
Console.WriteLine($"photo against another photo: median {Median(crossPhoto):F3}, max {crossPhoto.Max():F3} (score {ImageScore.Of(crossPhoto.Max()):F2})");

var patterns = new (string Name, string Source)[]
{
    ("testsrc", "testsrc=size=640x480"), ("testsrc2", "testsrc2=size=640x480"), ("smptebars", "smptebars=size=640x480"),
    ("mandelbrot", "mandelbrot=size=640x480"), ("grey", "color=c=gray:size=640x480"), ("noise", "nullsrc=size=640x480,geq=random(1)*255:128:128"),
    ("rgbtestsrc", "rgbtestsrc=size=640x480"), ("cellauto", "cellauto=s=640x480"),
};
var unrelated = new List<double>();
foreach (var (name, source) in patterns)
{
    var path = await MakeAsync($"{name}.png", "-f", "lavfi", "-i", source, "-frames:v", "1");
    var v = await VectorAsync(path);
    var best = gallery.Max(g => (double)Vectors.Dot(v, g.Value));
    unrelated.Add(best);
    Console.WriteLine($"pattern {name,-11} best cosine with any photo {best:F3} (score {ImageScore.Of(best):F2})");
}

Console.WriteLine($"altered photos, same photo: min {same.Min():F3}, 10th pct {Percentile(same, 0.1):F3}; unrelated patterns: max {unrelated.Max():F3}; other photos: max {others.Max():F3}");

// A video moment: the server's test slideshow (horses, giraffe, eagle, 3 s each, letterboxed to 640x480) at the times
// the features step looks at, against the giraffe cropped, shrunk and re-encoded (the tests' query).
var slides = new[] { "horses", "giraffe", "eagle" };
var show = await MakeAsync("show.mp4", [.. slides.SelectMany(s => new[] { "-loop", "1", "-t", "3", "-i", Photo(s) }),
    "-filter_complex", string.Concat(slides.Select((_, i) => $"[{i}]scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p[v{i}];"))
        + string.Concat(slides.Select((_, i) => $"[v{i}]")) + "concat=n=3",
    "-an", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25"]);
var query = await VectorAsync(await MakeAsync("query.jpg", "-i", Photo("giraffe"), "-vf", "crop=iw*0.8:ih*0.8,scale=iw*0.6:-2", "-q:v", "20"));
Console.WriteLine($"the tests' altered giraffe against the giraffe photo: cosine {Vectors.Dot(query, gallery["giraffe"]):F3} (score {ImageScore.Of(Vectors.Dot(query, gallery["giraffe"])):F2})");
foreach (var at in new[] { 0.0, 2, 3, 4, 5, 6, 8 })
{
    var frame = Vectors.Unit((await features.OfAsync(show, at, work, CancellationToken.None)).Vector);
    var cosine = Vectors.Dot(query, frame);
    Console.WriteLine($"  slideshow frame at {at} s: cosine {cosine:F3} (score {ImageScore.Of(cosine):F2})");
}

// Time per picture, as the parse pays it: a video frame at a time (seek, decode, scale) and the two models.
var video = await MakeAsync("slideshow.mp4", "-loop", "1", "-t", "20", "-i", Photo("giraffe"), "-vf", "scale=1280:720,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25");
const int n = 20;
var clock = Stopwatch.StartNew();
for (var i = 0; i < n; i++)
{
    await tools.RunAsync("ffmpeg", ["-v", "error", "-nostdin", "-y", "-ss", (i * 0.9).ToString("0.###"), "-i", video, "-frames:v", "1", "-vf", "scale=w='min(448\\,iw)':h='min(448\\,ih)':force_original_aspect_ratio=decrease:flags=area", "-pix_fmt", "rgb24", Path.Combine(work, "t.ppm")], CancellationToken.None);
}

var decodeMs = clock.Elapsed.TotalMilliseconds / n;
clock.Restart();
for (var i = 0; i < n; i++)
{
    await features.OfAsync(video, i * 0.9, work, CancellationToken.None);
}

var totalMs = clock.Elapsed.TotalMilliseconds / n;
Console.WriteLine($"720p frame: ffmpeg decode {decodeMs:F0} ms, decode + features {totalMs:F0} ms, so trimming, scaling and the models {totalMs - decodeMs:F0} ms ({Environment.ProcessorCount} cores, one ONNX Runtime thread)");
Directory.Delete(work, recursive: true);
return 0;

static double Median(List<double> xs) => Percentile(xs, 0.5);

static double Percentile(List<double> xs, double p)
{
    var sorted = xs.Order().ToList();
    return sorted[(int)Math.Round(p * (sorted.Count - 1))];
}
