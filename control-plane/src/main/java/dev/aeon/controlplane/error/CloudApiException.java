package dev.aeon.controlplane.error;

import io.grpc.Status;

/**
 * A Cloud Ops API error: the gRPC code, the HTTP status it maps to, and a message that names the field and the rule.
 * Never carries a secret or a stack trace to the client.
 */
public class CloudApiException extends RuntimeException {

    /** The codes this API answers with, each with its gRPC status and its HTTP status (as grpc-gateway maps them). */
    public enum Code {
        INVALID_ARGUMENT(Status.Code.INVALID_ARGUMENT, 400),
        FAILED_PRECONDITION(Status.Code.FAILED_PRECONDITION, 400),
        UNAUTHENTICATED(Status.Code.UNAUTHENTICATED, 401),
        PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, 403),
        NOT_FOUND(Status.Code.NOT_FOUND, 404),
        ALREADY_EXISTS(Status.Code.ALREADY_EXISTS, 409),
        UNIMPLEMENTED(Status.Code.UNIMPLEMENTED, 501),
        /** The data plane a call acts through did not answer; the caller may retry. */
        UNAVAILABLE(Status.Code.UNAVAILABLE, 503),
        INTERNAL(Status.Code.INTERNAL, 500);

        public final Status.Code grpc;
        public final int http;

        Code(Status.Code grpc, int http) {
            this.grpc = grpc;
            this.http = http;
        }
    }

    private final Code code;
    private final String field;

    public CloudApiException(Code code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    public Code code() {
        return code;
    }

    /** The request field at fault, as the proto names it ({@code spec.retention_days}); null when none is. */
    public String field() {
        return field;
    }

    public static CloudApiException invalid(String field, String rule) {
        return new CloudApiException(Code.INVALID_ARGUMENT, field, field + ": " + rule);
    }

    public static CloudApiException notFound(String what, String id) {
        return new CloudApiException(Code.NOT_FOUND, null, what + " not found: " + id);
    }

    public static CloudApiException alreadyExists(String field, String message) {
        return new CloudApiException(Code.ALREADY_EXISTS, field, message);
    }

    public static CloudApiException failedPrecondition(String field, String message) {
        return new CloudApiException(Code.FAILED_PRECONDITION, field, message);
    }

    public static CloudApiException denied(String message) {
        return new CloudApiException(Code.PERMISSION_DENIED, null, message);
    }

    public static CloudApiException unauthenticated(String message) {
        return new CloudApiException(Code.UNAUTHENTICATED, null, message);
    }

    public Status toStatus() {
        return Status.fromCode(code.grpc).withDescription(getMessage());
    }
}
