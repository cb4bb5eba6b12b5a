package dev.aeon.codec.keys;

/** A data key either encrypts and decrypts (the newest enabled one encrypts), or does neither until re-enabled. */
public enum KeyState {
    ENABLED,
    DISABLED
}
