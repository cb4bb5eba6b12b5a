package dev.aeon.codec;

/**
 * A request the codec server refuses, with the cause clients see as {@code {"error": ..., "cause": ...}}. Messages
 * name the field or key id and the rule; they never contain key material or payload contents.
 */
public final class CodecException extends RuntimeException {

    public enum Cause {
        INVALID_JSON("invalid-json", 400),
        MISSING_NAMESPACE("missing-namespace", 400),
        INVALID_NAMESPACE("invalid-namespace", 400),
        UNKNOWN_KEY("unknown-key", 400),
        KEY_DISABLED("key-disabled", 400),
        NO_ACTIVE_KEY("no-active-key", 400),
        MISSING_KEY_ID("missing-key-id", 400),
        UNSUPPORTED_CIPHER("unsupported-cipher", 400),
        CORRUPTED_CIPHERTEXT("corrupted-ciphertext", 400),
        TAMPERED_CIPHERTEXT("tampered-ciphertext", 400),
        INVALID_KEY_ID("invalid-key-id", 400),
        INVALID_KEY("invalid-key", 400),
        KEY_EXISTS("key-exists", 409),
        INVALID_ORIGIN("invalid-origin", 400),
        WILDCARD_WITH_CREDENTIALS("wildcard-with-credentials", 400),
        ORIGIN_NOT_ALLOWED("origin-not-allowed", 403),
        NOT_FOUND("not-found", 404);

        private final String code;
        private final int status;

        Cause(String code, int status) {
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    private final Cause cause;
    private final int status;
    private final Integer payloadIndex;

    public CodecException(Cause cause, String message) {
        this(cause, cause.status(), message, null);
    }

    private CodecException(Cause cause, int status, String message, Integer payloadIndex) {
        super(message);
        this.cause = cause;
        this.status = status;
        this.payloadIndex = payloadIndex;
    }

    /** The same refusal, about the payload at {@code index} of the request. */
    public CodecException atPayload(int index) {
        return new CodecException(cause, status, "payload " + index + ": " + getMessage(), index);
    }

    /** The same refusal with another HTTP status (an unknown key is 400 in a decode, 404 in the key API). */
    public CodecException withStatus(int newStatus) {
        return new CodecException(cause, newStatus, getMessage(), payloadIndex);
    }

    public Cause errorCause() {
        return cause;
    }

    public int status() {
        return status;
    }

    /** @return the index of the payload at fault, or null */
    public Integer payloadIndex() {
        return payloadIndex;
    }
}
