// Checks one --urls entry before Kestrel sees it: http (or https with a certificate), a host, a port in 0..65535.
using System.Globalization;

namespace MultiRec.AspNetCore;

/// <summary>Validation of listen addresses (http://HOST[:PORT][/], or https:// when a certificate is configured).</summary>
public static class ListenAddress
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the address and what is wrong with it.</summary>
    public static void Check(string url, bool httpsAllowed = false)
    {
        var shown = url.Length <= 100 ? url : url[..100] + "...";
        var https = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (https && !httpsAllowed)
        {
            throw new ArgumentException($"--urls '{shown}': https needs a certificate: --https-cert FILE.pfx --https-cert-password-file FILE");
        }

        if (!https && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--urls '{shown}': expected http://HOST:PORT or https://HOST:PORT, e.g. http://127.0.0.1:5080");
        }

        var rest = url[(https ? "https://" : "http://").Length..];
        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            if (rest[slash..] != "/")
            {
                throw new ArgumentException($"--urls '{shown}': a listen address cannot have a path");
            }

            rest = rest[..slash];
        }

        string host;
        string? port = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                throw new ArgumentException($"--urls '{shown}': unclosed '[' in an IPv6 address");
            }

            host = rest[..(close + 1)];
            var after = rest[(close + 1)..];
            if (after.Length > 0)
            {
                port = after[0] == ':' ? after[1..] : throw new ArgumentException($"--urls '{shown}': expected ':PORT' after the IPv6 address");
            }
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
            port = colon >= 0 ? rest[(colon + 1)..] : null;
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '@' or '?' or '#'))
        {
            throw new ArgumentException($"--urls '{shown}': missing or invalid host");
        }

        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535))
        {
            throw new ArgumentException($"--urls '{shown}': port must be a number in 0..65535");
        }
    }
}
