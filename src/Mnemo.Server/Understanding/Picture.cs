namespace Mnemo.Server.Understanding;

/// <summary>
/// An RGB picture in memory (rows of R, G, B bytes), as ffmpeg writes a binary PPM: read, its black bars trimmed,
/// resized. Enough for feature extraction, which needs a fixed square of pixels and no codec of its own.
/// </summary>
public sealed class Picture(int width, int height, byte[] rgb)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Rgb { get; } = rgb;

    /// <summary>A binary PPM (P6, 8 bits): the header's width, height and maximum, then the pixels.</summary>
    public static Picture FromPpm(byte[] ppm)
    {
        ArgumentNullException.ThrowIfNull(ppm);
        var at = 0;
        string Token()
        {
            while (at < ppm.Length && (char.IsWhiteSpace((char)ppm[at]) || ppm[at] == '#'))
            {
                if (ppm[at] == '#')
                {
                    while (at < ppm.Length && ppm[at] != '\n')
                    {
                        at++;
                    }
                }
                else
                {
                    at++;
                }
            }

            var start = at;
            while (at < ppm.Length && !char.IsWhiteSpace((char)ppm[at]))
            {
                at++;
            }

            return System.Text.Encoding.ASCII.GetString(ppm, start, at - start);
        }

        if (Token() != "P6" || !int.TryParse(Token(), out var width) || !int.TryParse(Token(), out var height) || Token() != "255")
        {
            throw new InvalidOperationException("Not an 8-bit binary PPM picture.");
        }

        at++; // the one whitespace after the maximum
        if (width < 1 || height < 1 || ppm.Length - at < width * height * 3)
        {
            throw new InvalidOperationException($"The PPM picture is cut short ({width}x{height}).");
        }

        return new Picture(width, height, ppm[at..(at + (width * height * 3))]);
    }

    /// <summary>
    /// Without the black bars of a letterboxed or pillarboxed frame (rows and columns at the edges where no pixel is
    /// brighter than <paramref name="dark"/>), so a photo shown inside a wider video looks like the photo. An axis is
    /// left whole when trimming it would leave less than half of it (a dark picture, not bars).
    /// </summary>
    public Picture TrimBars(int dark = 40)
    {
        bool RowDark(int y)
        {
            var row = Rgb.AsSpan(y * Width * 3, Width * 3);
            return row.IndexOfAnyInRange((byte)(dark + 1), byte.MaxValue) < 0;
        }

        bool ColumnDark(int x, int top, int bottom)
        {
            for (var y = top; y < bottom; y++)
            {
                var i = ((y * Width) + x) * 3;
                if (Rgb[i] > dark || Rgb[i + 1] > dark || Rgb[i + 2] > dark)
                {
                    return false;
                }
            }

            return true;
        }

        var (top, bottom) = (0, Height);
        while (top < bottom && RowDark(top))
        {
            top++;
        }

        while (bottom > top && RowDark(bottom - 1))
        {
            bottom--;
        }

        if (bottom - top < Height / 2)
        {
            (top, bottom) = (0, Height);
        }

        var (left, right) = (0, Width);
        while (left < right && ColumnDark(left, top, bottom))
        {
            left++;
        }

        while (right > left && ColumnDark(right - 1, top, bottom))
        {
            right--;
        }

        if (right - left < Width / 2)
        {
            (left, right) = (0, Width);
        }

        return top == 0 && bottom == Height && left == 0 && right == Width ? this : Crop(left, top, right - left, bottom - top);
    }

    private Picture Crop(int x, int y, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var row = 0; row < height; row++)
        {
            Rgb.AsSpan((((y + row) * Width) + x) * 3, width * 3).CopyTo(rgb.AsSpan(row * width * 3));
        }

        return new Picture(width, height, rgb);
    }

    /// <summary>The whole picture scaled to <paramref name="width"/>x<paramref name="height"/>, each pixel the mean of the source area it covers.</summary>
    public Picture Resize(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        var sx = (double)Width / width;
        var sy = (double)Height / height;
        Span<double> sum = stackalloc double[3];
        for (var oy = 0; oy < height; oy++)
        {
            var (y0, y1) = (oy * sy, (oy + 1) * sy);
            for (var ox = 0; ox < width; ox++)
            {
                var (x0, x1) = (ox * sx, (ox + 1) * sx);
                sum.Clear();
                var weight = 0.0;
                for (var y = (int)y0; y < Math.Min(Height, (int)Math.Ceiling(y1)); y++)
                {
                    var wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
                    for (var x = (int)x0; x < Math.Min(Width, (int)Math.Ceiling(x1)); x++)
                    {
                        var w = wy * (Math.Min(x + 1, x1) - Math.Max(x, x0));
                        var i = ((y * Width) + x) * 3;
                        sum[0] += w * Rgb[i];
                        sum[1] += w * Rgb[i + 1];
                        sum[2] += w * Rgb[i + 2];
                        weight += w;
                    }
                }

                var o = ((oy * width) + ox) * 3;
                for (var c = 0; c < 3; c++)
                {
                    rgb[o + c] = (byte)Math.Clamp(Math.Round(sum[c] / weight), 0, 255);
                }
            }
        }

        return new Picture(width, height, rgb);
    }
}
