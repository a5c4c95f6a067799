// RFC 9457 problem-details results for the API's client errors.
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MultiRec.Server;

/// <summary>Problem-details responses (application/problem+json) with a detail saying what was wrong.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult UnsupportedMediaType(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType);
}
