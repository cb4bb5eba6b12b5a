package dev.aeon.codec.sdk;

/** An encrypted payload that cannot be decrypted, and why. Messages never contain key material. */
public final class PayloadFormatException extends RuntimeException {

    public enum Reason {
        /** {@code encoding} is {@code binary/encrypted} but no {@code encryption-key-id} is present. */
        MISSING_KEY_ID,
        /** {@code encryption-cipher} names a cipher other than AES/GCM/NoPadding. */
        UNSUPPORTED_CIPHER,
        /** The data is too short to hold a nonce and a tag, or decrypts to something that is not a payload. */
        CORRUPTED,
        /** GCM authentication failed: the ciphertext, nonce or tag changed, or another key encrypted it. */
        TAMPERED
    }

    private final Reason reason;

    public PayloadFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
