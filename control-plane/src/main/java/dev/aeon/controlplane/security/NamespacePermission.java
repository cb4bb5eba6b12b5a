package dev.aeon.controlplane.security;

import io.temporal.api.cloud.identity.v1.NamespaceAccess;

/** Permissions on one namespace, ordered READ &lt; WRITE &lt; ADMIN (the contract's order, not the proto's numbers). */
public enum NamespacePermission {
    READ, WRITE, ADMIN;

    public boolean atLeast(NamespacePermission other) {
        return compareTo(other) >= 0;
    }

    /** @return null for PERMISSION_UNSPECIFIED */
    public static NamespacePermission of(NamespaceAccess.Permission permission) {
        return switch (permission) {
            case PERMISSION_READ -> READ;
            case PERMISSION_WRITE -> WRITE;
            case PERMISSION_ADMIN -> ADMIN;
            default -> null;
        };
    }
}
