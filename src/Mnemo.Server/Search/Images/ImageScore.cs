namespace Mnemo.Server.Search.Images;

/// <summary>
/// The cosine of two ResNet18 feature vectors mapped to a 0..1 score (docs/search.md, "Search by image"). The features
/// come after a ReLU, so every cosine is positive and unrelated photos already sit near 0.5: the raw cosine is no
/// score. Measured by bench/vision/ImageSearch on Debian's darknet photos: the same photo re-encoded, resized or
/// cropped against unrelated photos and test patterns.
/// </summary>
public static class ImageScore
{
    /// <summary>The cosine that scores 0.5.</summary>
    public const double Midpoint = 0.80;

    /// <summary>How steeply the score rises around the midpoint.</summary>
    public const double Slope = 25;

    /// <summary>Below this a picture is about something else: it is never a hit, whatever min_score asks.</summary>
    public const double Floor = 0.5;

    public static double Of(double cosine) => Math.Round(1 / (1 + Math.Exp(-Slope * (cosine - Midpoint))), 4);
}
