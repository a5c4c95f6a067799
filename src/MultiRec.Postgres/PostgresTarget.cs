// Where `multirec export --to postgres://…` loads: server, database, credentials, schema and table, parsed from a URL.
using System.Text.RegularExpressions;
using Npgsql;

namespace MultiRec.Postgres;

/// <summary>
/// A parsed <c>postgres://user[:password]@host[:port]/database[?table=recommendations&amp;schema=public]</c>
/// (or <c>postgresql://</c>). Without a password in the URL, Npgsql takes it from <c>PGPASSWORD</c> or
/// <c>~/.pgpass</c>. <see cref="ToString"/> and <see cref="Describe"/> never show the password.
/// </summary>
public sealed partial class PostgresTarget
{
    /// <summary>Longest table name: room for the "_load_" + 12 hex load-table suffix within PostgreSQL's 63 bytes.</summary>
    public const int MaxTableName = 40;

    private PostgresTarget(string host, int port, string database, string user, string? password, string schema, string table)
    {
        Host = host;
        Port = port;
        Database = database;
        User = user;
        Password = password;
        Schema = schema;
        Table = table;
    }

    public string Host { get; }

    public int Port { get; }

    public string Database { get; }

    public string User { get; }

    /// <summary>The URL's password, or null (then PGPASSWORD or ~/.pgpass apply).</summary>
    public string? Password { get; }

    public string Schema { get; }

    public string Table { get; }

    /// <summary>The table as schema.table (both plain identifiers, so no quoting is needed).</summary>
    public string QualifiedTable => $"{Schema}.{Table}";

    /// <summary>Parses a postgres:// URL; throws <see cref="FormatException"/> saying what is wrong (never echoing a password).</summary>
    public static PostgresTarget Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : url[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("postgres" or "postgresql"))
        {
            throw new FormatException("the database URL must start with postgres:// or postgresql:// (postgres://user[:password]@host[:port]/database[?table=NAME&schema=NAME])");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"malformed database URL {Redact(url)}: expected postgres://user[:password]@host[:port]/database");
        }

        var userInfo = uri.UserInfo;
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        var password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        if (user.Length == 0)
        {
            throw new FormatException($"the database URL {Redact(url)} names no user: expected postgres://user[:password]@host[:port]/database");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"the database URL {Redact(url)} must name one database after the host: postgres://user@host[:port]/database");
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port;
        string schema = "public", table = "recommendations";
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "table":
                    table = CheckIdentifier("table", value, MaxTableName);
                    break;
                case "schema":
                    schema = CheckIdentifier("schema", value, 63);
                    break;
                default:
                    throw new FormatException($"unknown database URL parameter '{key}' (known: table, schema)");
            }
        }

        return new PostgresTarget(uri.IdnHost, port, database, user, password, schema, table);
    }

    /// <summary>host:port/database as user, for messages.</summary>
    public string Describe() => $"{Host}:{Port}/{Database} as {User}";

    public override string ToString() => $"postgres://{User}@{Host}:{Port}/{Database}?schema={Schema}&table={Table}";

    /// <summary>Npgsql settings: one unpooled connection, no command timeout (the load and the swap may take long).</summary>
    internal NpgsqlConnectionStringBuilder ConnectionString() => new()
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = User,
        Password = Password,
        Pooling = false,
        Timeout = 15,
        CommandTimeout = 0,
        ApplicationName = "multirec export",
    };

    private static string CheckIdentifier(string what, string value, int maxLength)
    {
        if (!Identifier().IsMatch(value) || value.Length > maxLength)
        {
            throw new FormatException($"the {what} name '{value}' must be a plain lower-case identifier (a-z, 0-9, _; not starting with a digit; at most {maxLength} characters)");
        }

        return value;
    }

    /// <summary>The URL with any password replaced by ***.</summary>
    private static string Redact(string url) => UrlPassword().Replace(url, "$1***@");

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex("(://[^:/@]*:)[^@]*@")]
    private static partial Regex UrlPassword();
}
