package dev.aeon.auth.rpc;

import dev.aeon.auth.NamespacePermission;

/**
 * What one RPC requires of its caller.
 *
 * @param permission the least permission on the call's namespace ({@link Scope#NAMESPACE}) or, for
 *                   {@link Scope#ACCOUNT}, what the caller must hold on a namespace for it to appear in results;
 *                   null for {@link Scope#PUBLIC} and {@link Scope#DENIED}
 */
public record RpcRule(String method, Scope scope, NamespacePermission permission) {

    /** Where a call's authority comes from. */
    public enum Scope {
        /** No credential needed: reveals only the server's capabilities (Temporal's own health-check set). */
        PUBLIC,
        /**
         * Needs an authenticated caller but names no namespace; results are limited to the caller's account (e.g.
         * ListNamespaces lists only namespaces the caller may read). A client certificate identifies a caller only
         * together with the namespace in the {@code temporal-namespace} header.
         */
        ACCOUNT,
        /** Acts on the namespace in the request; needs {@link #permission()} there. */
        NAMESPACE,
        /** Never allowed on the data plane: the control plane's Cloud Ops API owns it, or it is cluster administration. */
        DENIED
    }
}
