package dev.aeon.auth.certs;

import java.util.Locale;

/** Key pairs as {@code tcld gen} makes them: ECDSA P-384 by default, RSA 4096 on request. */
public enum KeyType {
    ECDSA("EC", "SHA384withECDSA"),
    RSA("RSA", "SHA256withRSA");

    final String algorithm;
    final String signatureAlgorithm;

    KeyType(String algorithm, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** {@code ecdsa} or {@code rsa}, case-insensitive. */
    public static KeyType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("key type must be ecdsa or rsa, not '" + value + "'");
        }
    }

    static KeyType of(java.security.PrivateKey key) {
        return "RSA".equals(key.getAlgorithm()) ? RSA : ECDSA;
    }
}
