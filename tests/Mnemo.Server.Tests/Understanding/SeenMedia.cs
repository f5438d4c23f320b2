using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Understanding;

/// <summary>Real photos from Debian's darknet package (scripts/setup installs it), and a silent slideshow made of them.</summary>
public static class SeenMedia
{
    private const string Photos = "/usr/share/darknet/data";

    public static string Photo(string name)
    {
        var path = Path.Combine(Photos, name + ".jpg");
        File.Exists(path).ShouldBeTrue($"{path} is missing: scripts/setup installs Debian's darknet package, which ships it");
        return path;
    }

    /// <summary>The slideshow's photos in order, <see cref="SecondsEach"/> s each: horses, then a giraffe, then an eagle.</summary>
    public static readonly string[] Slides = ["horses", "giraffe", "eagle"];

    public const double SecondsEach = 3;

    /// <summary>9 s, 640x480, no audio; a keyframe every second, as a phone would write it.</summary>
    public static string Slideshow => TestMedia.Make("vision-slideshow.mp4", p =>
    {
        var inputs = Slides.SelectMany(s => new[] { "-loop", "1", "-t", "3", "-i", Photo(s) });
        var scaled = Slides.Select((_, i) =>
            $"[{i}]scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p[v{i}];");
        var filter = string.Concat(scaled) + string.Concat(Slides.Select((_, i) => $"[v{i}]")) + $"concat=n={Slides.Length}";
        TestMedia.Ffmpeg([.. inputs, "-filter_complex", filter, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", p]);
    });

    /// <summary>
    /// 9 s, 640x480, no audio: the woman of darknet's person.jpg (0–3 s), horses (3–6 s), the woman again (6–9 s); her
    /// face is the only human face in Debian's darknet photos.
    /// </summary>
    public static string PersonTwice => TestMedia.Make("people-twice.mp4", p =>
    {
        string[] slides = ["person", "horses", "person"];
        var inputs = slides.SelectMany(s => new[] { "-loop", "1", "-t", "3", "-i", Photo(s) });
        var scaled = slides.Select((_, i) =>
            $"[{i}]scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p[v{i}];");
        var filter = string.Concat(scaled) + string.Concat(slides.Select((_, i) => $"[v{i}]")) + $"concat=n={slides.Length}";
        TestMedia.Ffmpeg([.. inputs, "-filter_complex", filter, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", p]);
    });

    /// <summary>The woman of person.jpg cut out of it (her head and body, not the dog or the horse): a reference photo of her face.</summary>
    public static string PersonReference => TestMedia.Make("people-reference.jpg", p =>
        TestMedia.Ffmpeg(["-i", Photo("person"), "-vf", "crop=300:320:100:40", "-q:v", "3", p]));

    /// <summary>person.jpg under a name that says nothing of who it shows.</summary>
    public static string PersonPhoto => TestMedia.Make("people-photo-b.jpg", p => File.Copy(Photo("person"), p, overwrite: true));

    /// <summary>The dog photo under a name that says nothing of what it shows (the file name is searchable too).</summary>
    public static string DogPhoto => TestMedia.Make("vision-photo-a.jpg", p => File.Copy(Photo("dog"), p, overwrite: true));
}
