package dev.aeon.dataplane.auth;

import java.security.cert.X509Certificate;

/**
 * What a caller presented: an API key ({@code authorization: Bearer <key>}), a TLS client certificate chain, both
 * or neither. {@code malformedAuthorization} is an authorization header that is not a bearer token.
 */
public record Credentials(String apiKey, boolean malformedAuthorization, X509Certificate[] clientChain) {

    public boolean none() {
        return apiKey == null && !malformedAuthorization && (clientChain == null || clientChain.length == 0);
    }

    @Override
    public String toString() {
        // never the key itself
        return "Credentials[apiKey=" + (apiKey == null ? "none" : "present") + ", clientCertificate="
                + (clientChain == null || clientChain.length == 0 ? "none" : clientChain[0].getSubjectX500Principal())
                + "]";
    }
}
