package dev.aeon.auth.certs;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/** A certificate and its private key, readable from and writable to PEM (certificate; PKCS#8 key). */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    public String certificatePem() {
        return pem(certificate);
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), unencrypted. */
    public String privateKeyPem() {
        try {
            return pem(new JcaPKCS8Generator(privateKey, null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a certificate PEM and its key PEM (PKCS#8, or the traditional {@code EC}/{@code RSA PRIVATE KEY} form).
     *
     * @param certificateSource what to call the certificate in errors (a flag or file name)
     * @param keySource what to call the key in errors
     */
    public static IssuedCertificate fromPem(String certificatePem, String certificateSource, String keyPem,
            String keySource) {
        X509Certificate certificate;
        try (PEMParser parser = new PEMParser(new StringReader(certificatePem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException(certificateSource + " holds no PEM CERTIFICATE");
            }
            certificate = new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(certificateSource + " is not a PEM certificate: " + e.getMessage(), e);
        }
        PrivateKey key;
        try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (object instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else {
                throw new IllegalArgumentException(keySource + " holds no unencrypted PEM private key");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(keySource + " is not a PEM private key: " + e.getMessage(), e);
        }
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm()) || !pairs(certificate, key)) {
            throw new IllegalArgumentException(keySource + " is not the private key of the certificate in "
                    + certificateSource);
        }
        return new IssuedCertificate(certificate, key);
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean pairs(X509Certificate certificate, PrivateKey key) {
        try {
            String algorithm = KeyType.of(key).signatureAlgorithm;
            byte[] probe = "aeon key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
