package dev.aeon.codec.access;

import dev.aeon.auth.NamespacePermission;

/**
 * The namespace a request acts on and the permission it needs there, resolved once per request by
 * {@link NamespaceCallResolver}; read it through {@link CurrentNamespaceCall}.
 */
public record NamespaceCall(String namespace, NamespacePermission permission) {
}
