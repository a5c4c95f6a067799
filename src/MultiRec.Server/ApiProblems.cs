// RFC 9457 problem-details results for the API's client errors.
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace MultiRec.Server;

/// <summary>Problem-details responses (application/problem+json) with the status's reason phrase as title and a
/// detail saying what was wrong.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, detail);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) => Status(StatusCodes.Status415UnsupportedMediaType, detail);

    public static ProblemHttpResult Status(int statusCode, string detail) =>
        TypedResults.Problem(detail, statusCode: statusCode, title: ReasonPhrases.GetReasonPhrase(statusCode));
}
