package dev.aeon.auth;

/** What an identity may do in a namespace. Ordered: each level includes the ones before it. */
public enum NamespacePermission {
    /** Describe, list, count, query, read history. */
    READ,
    /** Start, signal, update, cancel, terminate, reset, delete workflows; every worker call. */
    WRITE,
    /** Administer the namespace itself. */
    ADMIN;

    /** Whether holding this permission is enough for a call that needs {@code required}. */
    public boolean includes(NamespacePermission required) {
        return compareTo(required) >= 0;
    }

    /** The higher of two permissions; {@code null} counts as none. */
    static NamespacePermission max(NamespacePermission a, NamespacePermission b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.includes(b) ? a : b;
    }
}
