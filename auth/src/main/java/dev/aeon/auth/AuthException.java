package dev.aeon.auth;

/**
 * Why a call was refused. The message names the rule that failed and the ids involved (key id, certificate
 * subject, namespace) and never a credential, so it is safe to return to the caller and to log.
 */
public final class AuthException extends RuntimeException {

    /** How a server answers: gRPC status / HTTP status. */
    public enum Kind {
        /** No credential, or one that is malformed, badly signed, expired, unknown, disabled or deleted. gRPC UNAUTHENTICATED / HTTP 401. */
        UNAUTHENTICATED,
        /** A valid identity that may not do this. gRPC PERMISSION_DENIED / HTTP 403. */
        PERMISSION_DENIED,
        /** The namespace is not the caller's account's: answer as if it did not exist. gRPC NOT_FOUND / HTTP 404. */
        NAMESPACE_NOT_FOUND,
        /** The control plane could not be asked and nothing fresh is cached. gRPC UNAVAILABLE / HTTP 503. */
        UNAVAILABLE
    }

    private final Kind kind;

    public AuthException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public AuthException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
