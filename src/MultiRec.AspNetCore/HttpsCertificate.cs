// Loads the standalone server's HTTPS certificate (PKCS#12) up front, so a bad file is a clear error, not a 500.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MultiRec.AspNetCore;

/// <summary>The certificate Kestrel serves https:// addresses with.</summary>
internal static class HttpsCertificate
{
    /// <summary>The certificate of <see cref="ServerOptions.HttpsCertificateFile"/>, or null when none is set.</summary>
    /// <exception cref="ArgumentException">The file is missing, not PKCS#12, the password is wrong, or it has no private key.</exception>
    public static X509Certificate2? Load(ServerOptions options)
    {
        if (options.HttpsCertificateFile is not { } file)
        {
            return null;
        }

        if (!File.Exists(file))
        {
            throw new ArgumentException($"--https-cert {file}: file not found");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, options.HttpsCertificatePassword);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"--https-cert {file}: cannot load the certificate ({e.Message.TrimEnd('.')}); expected a PKCS#12 (.pfx) file and, in --https-cert-password-file, its password", e);
        }

        return certificate.HasPrivateKey ? certificate : throw new ArgumentException($"--https-cert {file}: the certificate has no private key");
    }
}
