// Tests of the postgres:// export URL: parts, defaults, identifier checks, and that no message shows the password.
using MultiRec.Postgres;

namespace MultiRec.Tests.Serving;

public class PostgresTargetTests
{
    [Fact]
    public void Parse_ReadsEveryPart()
    {
        var t = PostgresTarget.Parse("postgresql://site%40x:p%3Ass@db.example:6543/shop?table=recs_v2&schema=serving");

        Assert.Equal(("db.example", 6543, "shop", "site@x", "p:ss", "serving", "recs_v2"), (t.Host, t.Port, t.Database, t.User, t.Password, t.Schema, t.Table));
        Assert.Equal("serving.recs_v2", t.QualifiedTable);
        Assert.DoesNotContain("p:ss", t.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("p:ss", t.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultsPortSchemaTableAndLeavesThePasswordToPgpassword()
    {
        var t = PostgresTarget.Parse("postgres://app@localhost/site");

        Assert.Equal((5432, "public", "recommendations"), (t.Port, t.Schema, t.Table));
        Assert.Null(t.Password);
        Assert.Equal("localhost:5432/site as app", t.Describe());
    }

    [Theory]
    [InlineData("mysql://u@h/db", "postgres://")]
    [InlineData("h/db", "postgres://")]
    [InlineData("postgres://u@h", "one database")]
    [InlineData("postgres://u@h/", "one database")]
    [InlineData("postgres://u@h/a/b", "one database")]
    [InlineData("postgres://h/db", "no user")]
    [InlineData("postgres://u:hunter2@/db", "malformed")]
    [InlineData("postgres://u@h/db?table=Recs", "plain lower-case identifier")]
    [InlineData("postgres://u@h/db?table=r;drop%20table%20x", "plain lower-case identifier")]
    [InlineData("postgres://u@h/db?table=", "plain lower-case identifier")]
    [InlineData("postgres://u@h/db?schema=1x", "plain lower-case identifier")]
    [InlineData("postgres://u@h/db?table=a_table_name_that_is_far_too_long_for_a_load_suffix", "at most 40")]
    [InlineData("postgres://u@h/db?sslmode=require", "unknown database URL parameter 'sslmode'")]
    public void Parse_RefusesBadUrlsSayingWhy(string url, string expected)
    {
        var e = Assert.Throws<FormatException>(() => PostgresTarget.Parse(url));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }
}
