package dev.aeon.auth;

/** Aeon's namespace names are {@code <name>.<accountId>}: the suffix says which account owns a namespace. */
public final class NamespaceNames {

    private NamespaceNames() {
    }

    /** Whether {@code namespace} is {@code <name>.<accountId>} with a non-empty name. */
    public static boolean belongsTo(String namespace, String accountId) {
        if (namespace == null || accountId == null || accountId.isEmpty()) {
            return false;
        }
        int nameLength = namespace.length() - accountId.length() - 1;
        return nameLength > 0 && namespace.endsWith(accountId) && namespace.charAt(nameLength) == '.';
    }
}
