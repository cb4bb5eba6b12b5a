package dev.aeon.embedded;

/** An embedded server could not be started or reached; the message says why and what to look at. */
public class EmbeddedServerException extends RuntimeException {

    public EmbeddedServerException(String message) {
        super(message);
    }

    public EmbeddedServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
