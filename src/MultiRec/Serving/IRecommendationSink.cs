// Where the all-users export pipeline puts each user's ranking: a file writer, a database loader, a test probe.
namespace MultiRec.Serving;

/// <summary>Receives every user's top-K from <see cref="RecommendationExport.Stream"/>, one user at a time, in internal
/// user id order, on one thread.</summary>
public interface IRecommendationSink
{
    /// <summary>One user's items (internal item ids, valid entries only, best first) and their scores.</summary>
    void WriteUser(string userId, ReadOnlySpan<int> items, ReadOnlySpan<float> scores);
}
