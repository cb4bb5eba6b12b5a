package dev.aeon.auth;

import java.util.List;
import java.util.Optional;

/**
 * A caller identified by a client certificate that verified against one namespace's accepted CAs. Like Temporal
 * Cloud, such a certificate gives full data access (WRITE) to that namespace and nothing anywhere else; namespace
 * administration needs an API key.
 *
 * @param subject the leaf's subject distinguished name (RFC 2253)
 * @param subjectAlternativeNames the leaf's DNS, URI and email SANs
 * @param sha256Fingerprint hex SHA-256 of the leaf's DER encoding, for logs and audit
 */
public record CertificatePrincipal(
        String namespace,
        String accountId,
        String subject,
        List<String> subjectAlternativeNames,
        String sha256Fingerprint) implements Principal {

    public CertificatePrincipal {
        subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
    }

    @Override
    public String describe() {
        return "client certificate " + subject;
    }

    @Override
    public Optional<NamespacePermission> permissionOn(String namespace) {
        return this.namespace.equals(namespace) ? Optional.of(NamespacePermission.WRITE) : Optional.empty();
    }
}
