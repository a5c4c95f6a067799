// One ranked item: internal item id and its score.
namespace MultiRec.Serving;

/// <summary>An item of a ranking with its score (dot product for recommendations, cosine for similar items).</summary>
public readonly record struct ScoredItem(int Item, float Score);
