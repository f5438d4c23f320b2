namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// Maps a cosine of all-MiniLM-L6-v2 onto the 0..1 score every surface shows, so that a passage that answers
/// the question scores ≥ 0.7 (the Memic SDK's default min_score) and a passage about something else
/// below 0.5: a logistic curve whose midpoint and slope were fitted on bench/search's paraphrased questions
/// against its unrelated ones (docs/search.md, "Calibration").
/// </summary>
public static class Calibration
{
    public const double Midpoint = 0.205;
    public const double Slope = 19.5;

    /// <summary>A passage found by meaning alone must score at least this to be shown: below, it is about something else.</summary>
    public const double RelatedFrom = 0.5;

    public static double Score(double cosine) => 1 / (1 + Math.Exp(-Slope * (cosine - Midpoint)));
}
