// A connection or server failure of a PostgreSQL export, naming the server (never the password).
namespace MultiRec.Postgres;

/// <summary>The export could not reach the server or the server refused a step; the previous table is unchanged.</summary>
public sealed class PostgresExportException : IOException
{
    public PostgresExportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
