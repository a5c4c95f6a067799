// RFC 9457 problem-details results for the API's client errors.
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace MultiRec.AspNetCore;

/// <summary>Problem-details responses (application/problem+json) with the status's reason phrase as title and a
/// detail saying what was wrong.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, detail);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) => Status(StatusCodes.Status415UnsupportedMediaType, detail);

    /// <summary>The detail of a body that does not deserialize: where (JSON path, line, byte) and what kind of fault,
    /// never the .NET type it was to be converted to.</summary>
    public static string MalformedJson(System.Text.Json.JsonException e)
    {
        var where = $"at {e.Path ?? "$"} (line {(e.LineNumber ?? 0) + 1}, byte {e.BytePositionInLine ?? 0})";
        var what = e.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "a value of the wrong type (user_ids: array of strings, k: integer, exclude_seen: true/false)"
            : e.Message.Contains("could not be mapped", StringComparison.Ordinal) || e.Message.Contains("unmapped", StringComparison.OrdinalIgnoreCase)
                ? "an unknown property (known: user_ids, k, exclude_seen)"
                : "invalid JSON";
        return $"malformed JSON body: {what} {where}";
    }

    /// <summary>An id echoed in a detail, cut to 100 characters.</summary>
    public static string Clip(string id) => id.Length <= 100 ? id : id[..100] + "...";

    public static ProblemHttpResult Status(int statusCode, string detail) =>
        TypedResults.Problem(detail, statusCode: statusCode, title: ReasonPhrases.GetReasonPhrase(statusCode));
}
