package dev.aeon.auth;

import java.util.Optional;

/** Who is calling, as established by an API key or a client certificate. */
public sealed interface Principal permits ApiKeyPrincipal, CertificatePrincipal {

    /** The account the caller belongs to; its namespaces end in {@code .<accountId>}. */
    String accountId();

    /** How to name the caller in messages and logs: ids and certificate subjects only, never a credential. */
    String describe();

    /**
     * What the caller may do on {@code namespace}; empty when nothing, including when the namespace is not the
     * caller's (then {@link Authorizer} answers as if it did not exist).
     */
    Optional<NamespacePermission> permissionOn(String namespace);
}
