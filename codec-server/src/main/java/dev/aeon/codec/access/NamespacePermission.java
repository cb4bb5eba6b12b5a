package dev.aeon.codec.access;

/** What a call does to a namespace; the auth module decides whether the caller's claims allow it. */
public enum NamespacePermission {
    /** Decode payloads, list keys, read CORS settings. */
    READ,
    /** Encode payloads. */
    WRITE,
    /** Create, rotate, import, disable and enable keys; change CORS settings. */
    ADMIN
}
