namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// Maps a cosine of all-MiniLM-L6-v2 onto the 0..1 score every surface shows, so that a passage that answers
/// the question scores ≥ 0.7 (the Memic SDK's default min_score) and a passage about something else below
/// 0.5: a logistic curve per kind of text (docs/search.md, "Calibration"). Passages (chunks, transcript
/// segments, text read in frames) use the curve fitted with bench/search/calibrate on paraphrased questions
/// against unrelated ones. Labels (a file name, a tag, an object seen: a few words) sit closer to any short
/// question ("giraffe" and "2 horses" have a cosine of 0.38, "alpacas" and a one-line subtitle 0.21), so they
/// must be much nearer to count: about the same thing in other words ("puppy", "dog").
/// </summary>
public static class Calibration
{
    public const double PassageMidpoint = 0.225;
    public const double LabelMidpoint = 0.5;
    public const double Slope = 20;

    /// <summary>A passage found by meaning alone must score at least this to be shown: below, it is about something else.</summary>
    public const double RelatedFrom = 0.5;

    public static double Score(double cosine, SearchEntryKind kind) =>
        1 / (1 + Math.Exp(-Slope * (cosine - (IsLabel(kind) ? LabelMidpoint : PassageMidpoint))));

    public static bool IsLabel(SearchEntryKind kind) => kind is SearchEntryKind.Name or SearchEntryKind.Tag or SearchEntryKind.Object or SearchEntryKind.Person;
}
