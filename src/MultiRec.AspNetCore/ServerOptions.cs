// Options of the HTTP server: where it listens, request limits, what "seen" excludes, logging.
using MultiRec.Serving;

namespace MultiRec.AspNetCore;

/// <summary>Settings of <see cref="RecommendationServer"/>, with their defaults.</summary>
public sealed record ServerOptions
{
    /// <summary>Listen addresses, ';'-separated. Default http://127.0.0.1:5080 (loopback only); port 0 picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>K when the request gives none. Default 10.</summary>
    public int DefaultK { get; init; } = 10;

    /// <summary>Largest K a request may ask for (k must be in 1..MaxK). Default 1,000.</summary>
    public int MaxK { get; init; } = 1000;

    /// <summary>Most user ids in one batch request. Default 1,000.</summary>
    public int MaxBatchUsers { get; init; } = 1000;

    /// <summary>Request budget of a batch: user ids × k may be at most this many entries (400 beyond, the answer
    /// states the limit). Default 20,000: 1,000 users at k 20, or 20 users at the largest k. A batch answer costs
    /// about 45 bytes and a scoring pass over every item per entry's user, so the budget bounds both.</summary>
    public int MaxBatchEntries { get; init; } = 20_000;

    /// <summary>Largest request body accepted, in bytes (413 beyond). Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary>What exclude_seen=true (the default) removes from a user's candidates. Default
    /// <see cref="ExcludeMode.Train"/>, the evaluation protocol; exclude_seen=false removes nothing.</summary>
    public ExcludeMode Seen { get; init; } = ExcludeMode.Train;

    /// <summary>Lowest level logged to the console. Default Warning: no per-request lines.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;

    /// <summary>How long in-flight requests may take to finish after SIGTERM / Ctrl+C. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, every /v1 request must send this key in the X-API-Key header (401 problem details
    /// otherwise), and POST /v1/admin/reload is mapped. Read it with <see cref="ApiKeySource"/> (a file or the
    /// MULTIREC_API_KEY environment variable), never from the command line. Default null: no authentication.</summary>
    public string? ApiKey { get; init; }

    /// <summary>PKCS#12 (.pfx) certificate for https:// listen addresses. Default null: http only.</summary>
    public string? HttpsCertificateFile { get; init; }

    /// <summary>Password of <see cref="HttpsCertificateFile"/> (read from a file by the CLI). Default null.</summary>
    public string? HttpsCertificatePassword { get; init; }

    /// <summary>Reload the model when the run folder changes (see <see cref="MultiRecOptions.WatchRunFolder"/>). Default true.</summary>
    public bool WatchRunFolder { get; init; } = true;

    /// <summary>Quiet time after a change before a reload (see <see cref="MultiRecOptions.ReloadDelay"/>). Default 2 s.</summary>
    public TimeSpan ReloadDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The endpoint settings these options imply.</summary>
    public void ApplyTo(MultiRecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultK = DefaultK;
        options.MaxK = MaxK;
        options.MaxBatchUsers = MaxBatchUsers;
        options.MaxBatchEntries = MaxBatchEntries;
        options.Seen = Seen;
        options.WatchRunFolder = WatchRunFolder;
        options.ReloadDelay = ReloadDelay;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> for an invalid option.</summary>
    public void Validate()
    {
        // The endpoint limits are the endpoints' own options, checked there (same messages).
        var endpoint = new MultiRecOptions();
        ApplyTo(endpoint);
        endpoint.Validate();

        if (MaxRequestBodyBytes < 1)
        {
            throw new ArgumentException($"max request body must be at least 1 byte (got {MaxRequestBodyBytes})");
        }

        if (string.IsNullOrWhiteSpace(Urls))
        {
            throw new ArgumentException("urls must name at least one address");
        }

        foreach (var url in Urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            ListenAddress.Check(url, HttpsCertificateFile is not null);
        }

        if (ApiKey is not null)
        {
            ApiKeySource.Check(ApiKey, "the API key");
        }

        // Loaded once here so that a bad file or password is reported before anything starts.
        HttpsCertificate.Load(this)?.Dispose();
    }
}
