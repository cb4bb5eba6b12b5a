package dev.aeon.dataplane.errors;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.temporal.api.errordetails.v1.NamespaceAlreadyExistsFailure;
import io.temporal.api.errordetails.v1.NamespaceNotFoundFailure;
import io.temporal.api.errordetails.v1.NotFoundFailure;
import io.temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure;

/**
 * The errors SDKs understand: gRPC status codes with Temporal's typed failure in the status details, messages
 * worded as Temporal words them.
 */
public final class ApiErrors {

    /**
     * Messages and details may quote the request (an id, a name), and gRPC sends them in the trailers, which clients
     * cap (grpc-java at 8 KiB; a larger one reaches the caller as a bare INTERNAL "PROTOCOL_ERROR"). What a message
     * quotes is cut to this many characters; ids and names Temporal accepts are at most 1,000.
     */
    static final int MAX_QUOTED = 1000;

    private ApiErrors() {
    }

    /** {@code value} as a message or detail may quote it: at most {@link #MAX_QUOTED} characters. */
    static String quoted(String value) {
        return value.length() <= MAX_QUOTED ? value
                : value.substring(0, MAX_QUOTED) + "...(" + value.length() + " characters)";
    }

    public static StatusRuntimeException invalidArgument(String message) {
        return error(Code.INVALID_ARGUMENT, message, null);
    }

    public static StatusRuntimeException notFound(String message) {
        return error(Code.NOT_FOUND, message, NotFoundFailure.getDefaultInstance());
    }

    public static StatusRuntimeException workflowNotFound(String workflowId, String runId) {
        return notFound("workflow execution not found for workflow ID \"" + quoted(workflowId) + "\" and run ID \""
                + quoted(runId) + "\"");
    }

    public static StatusRuntimeException namespaceNotFound(String namespace) {
        return error(Code.NOT_FOUND, "Namespace " + quoted(namespace) + " is not found.",
                NamespaceNotFoundFailure.newBuilder().setNamespace(quoted(namespace)).build());
    }

    public static StatusRuntimeException namespaceAlreadyExists() {
        return error(Code.ALREADY_EXISTS, "Namespace already exists.", NamespaceAlreadyExistsFailure.getDefaultInstance());
    }

    public static StatusRuntimeException workflowAlreadyStarted(String workflowId, String runId, String requestId) {
        return error(Code.ALREADY_EXISTS, "Workflow execution is already running. WorkflowId: " + workflowId
                        + ", RunId: " + runId + ".",
                WorkflowExecutionAlreadyStartedFailure.newBuilder().setRunId(runId).setStartRequestId(requestId).build());
    }

    public static StatusRuntimeException deadlineExceeded(String message) {
        return error(Code.DEADLINE_EXCEEDED, message, null);
    }

    /** A query the workflow's code failed: Temporal's QueryFailed, INVALID_ARGUMENT with the failure attached. */
    public static StatusRuntimeException queryFailed(String message, io.temporal.api.failure.v1.Failure failure) {
        return error(Code.INVALID_ARGUMENT, message,
                io.temporal.api.errordetails.v1.QueryFailedFailure.newBuilder().setFailure(failure).build());
    }

    /** A closed run's id reuse policy refuses a new run: ALREADY_EXISTS with the closed run's details. */
    public static StatusRuntimeException workflowIdReuseRefused(String message, String runId, String requestId) {
        return error(Code.ALREADY_EXISTS, message,
                WorkflowExecutionAlreadyStartedFailure.newBuilder().setRunId(runId).setStartRequestId(requestId).build());
    }

    /** A limit on concurrent work (Temporal's RESOURCE_EXHAUSTED_CAUSE_CONCURRENT_LIMIT). */
    public static StatusRuntimeException concurrentLimit(String message) {
        return error(Code.RESOURCE_EXHAUSTED, message, io.temporal.api.errordetails.v1.ResourceExhaustedFailure
                .newBuilder().setCause(io.temporal.api.enums.v1.ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_CONCURRENT_LIMIT)
                .build());
    }

    public static StatusRuntimeException unavailable(String message) {
        return error(Code.UNAVAILABLE, message, null);
    }

    public static StatusRuntimeException internal(String message) {
        return error(Code.INTERNAL, message, null);
    }

    static StatusRuntimeException error(Code code, String message, Message detail) {
        Status.Builder status = Status.newBuilder().setCode(code.getNumber())
                .setMessage(message.length() <= 3 * MAX_QUOTED ? message : quoted(message));
        if (detail != null) {
            status.addDetails(Any.pack(detail));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
