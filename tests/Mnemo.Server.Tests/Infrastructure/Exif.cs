using System.Text;

namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>Writes a minimal little-endian EXIF APP1 segment: IFD0 (Make, Model), Exif IFD (DateTimeOriginal), GPS IFD.</summary>
public static class Exif
{
    private sealed record Entry(ushort Tag, ushort Type, uint Count, byte[] Data);

    public static byte[] App1(string make, string model, string dateTimeOriginal, double latitude, double longitude)
    {
        // Layout: TIFF header (8) | IFD0 | Exif IFD | GPS IFD | data area. Offsets count from the TIFF header.
        var ifd0 = new List<Entry> { Ascii(0x010F, make), Ascii(0x0110, model), Long(0x8769, 0), Long(0x8825, 0) };
        var exif = new List<Entry> { Ascii(0x9003, dateTimeOriginal) };
        var gps = new List<Entry>
        {
            Ascii(0x0001, latitude >= 0 ? "N" : "S"), Rationals(0x0002, Math.Abs(latitude)),
            Ascii(0x0003, longitude >= 0 ? "E" : "W"), Rationals(0x0004, Math.Abs(longitude)),
        };
        static int Size(List<Entry> ifd) => 2 + (12 * ifd.Count) + 4;
        var ifd0At = 8;
        var exifAt = ifd0At + Size(ifd0);
        var gpsAt = exifAt + Size(exif);
        var dataAt = gpsAt + Size(gps);
        ifd0[2] = Long(0x8769, (uint)exifAt);
        ifd0[3] = Long(0x8825, (uint)gpsAt);

        var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        w.Write("II"u8);
        w.Write((ushort)42);
        w.Write((uint)ifd0At);
        var data = new MemoryStream();
        foreach (var ifd in new[] { ifd0, exif, gps })
        {
            w.Write((ushort)ifd.Count);
            foreach (var e in ifd.OrderBy(e => e.Tag))
            {
                w.Write(e.Tag);
                w.Write(e.Type);
                w.Write(e.Count);
                if (e.Data.Length <= 4)
                {
                    w.Write(e.Data);
                    w.Write(new byte[4 - e.Data.Length]);
                }
                else
                {
                    w.Write((uint)(dataAt + data.Length));
                    data.Write(e.Data);
                    if (data.Length % 2 == 1)
                    {
                        data.WriteByte(0);
                    }
                }
            }

            w.Write(0u);
        }

        w.Write(data.ToArray());
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff.ToArray()).ToArray();
        var length = payload.Length + 2;
        return [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
    }

    private static Entry Ascii(ushort tag, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "\0");
        return new Entry(tag, 2, (uint)bytes.Length, bytes);
    }

    private static Entry Long(ushort tag, uint value) => new(tag, 4, 1, BitConverter.GetBytes(value));

    private static Entry Rationals(ushort tag, double degrees)
    {
        var d = (uint)degrees;
        var minutes = (degrees - d) * 60;
        var m = (uint)minutes;
        var s = (uint)Math.Round((minutes - m) * 60 * 1000);
        var bytes = new List<byte>();
        foreach (var (num, den) in new[] { (d, 1u), (m, 1u), (s, 1000u) })
        {
            bytes.AddRange(BitConverter.GetBytes(num));
            bytes.AddRange(BitConverter.GetBytes(den));
        }

        return new Entry(tag, 5, 3, [.. bytes]);
    }
}
