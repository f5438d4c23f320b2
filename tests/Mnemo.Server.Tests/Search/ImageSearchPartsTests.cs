using System.Text;
using Mnemo.Server.Search.Images;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Tests.Search;

/// <summary>The pieces of search by image that need no server: moments from frames, scores, black bars.</summary>
public sealed class ImageSearchPartsTests
{
    private static FrameMatch Frame(int i, double? at, double score) => new(100 + i, i, at, score);

    [Fact]
    public void NeighbouringMatchingFramesMakeOneMomentUntilTheNextFrameThatDoesNotMatch()
    {
        var moments = ImageMoments.Merge(
            [Frame(0, 0, 0.1), Frame(1, 2, 0.2), Frame(2, 3, 0.9), Frame(3, 4, 0.95), Frame(4, 6, 0.3), Frame(5, 8, 0.7)], 9, 0.5);
        moments.Count.ShouldBe(2);
        moments[0].ShouldBe(new ImageMoment(103, 3, 3, 6, 0.95));
        moments[1].ShouldBe(new ImageMoment(105, 5, 8, 9, 0.7)); // open to the video's end
    }

    [Fact]
    public void AnImageIsOneMomentWithoutTimes()
    {
        ImageMoments.Merge([Frame(0, null, 0.8)], null, 0.5).ShouldBe([new ImageMoment(100, 0, null, null, 0.8)]);
        ImageMoments.Merge([Frame(0, null, 0.4)], null, 0.5).ShouldBeEmpty();
    }

    [Fact]
    public void ScoresRiseWithTheCosineAndTheFloorSitsAtTheMidpoint()
    {
        ImageScore.Of(0.98).ShouldBeGreaterThan(0.98);
        ImageScore.Of(ImageScore.Midpoint).ShouldBe(0.5);
        ImageScore.Of(0.5).ShouldBeLessThan(0.01);
    }

    private static byte[] Ppm(int width, int height, Func<int, int, byte> value)
    {
        var header = Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n");
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels.AsSpan(((y * width) + x) * 3, 3).Fill(value(x, y));
            }
        }

        return [.. header, .. pixels];
    }

    [Fact]
    public void BlackBarsAroundAPictureAreTrimmedAndADarkPictureIsLeftWhole()
    {
        // A 100x60 frame holding a 60x40 bright picture from (20, 10): bars left, right, top and bottom.
        var boxed = Picture.FromPpm(Ppm(100, 60, (x, y) => x is >= 20 and < 80 && y is >= 10 and < 50 ? (byte)200 : (byte)5));
        var trimmed = boxed.TrimBars();
        (trimmed.Width, trimmed.Height).ShouldBe((60, 40));
        trimmed.Rgb.ShouldAllBe(b => b == 200);

        var night = Picture.FromPpm(Ppm(50, 50, (x, y) => x == 25 && y == 25 ? (byte)255 : (byte)10));
        night.TrimBars().ShouldBeSameAs(night);

        var small = trimmed.Resize(6, 4);
        (small.Width, small.Height, small.Rgb.Length).ShouldBe((6, 4, 72));
        small.Rgb.ShouldAllBe(b => b == 200);
    }
}
