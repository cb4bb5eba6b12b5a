package dev.aeon.dataplane.history.rules;

import dev.aeon.dataplane.errors.ApiErrors;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;

import java.util.Collection;

/** Temporal's default size and count limits, checked where Temporal checks them. */
public final class Limits {

    /** One payload (blob) at most 2 MiB. */
    public static final int MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
    /** A run's history at most 51,200 events or 50 MiB; past that the run is terminated. */
    static final long MAX_HISTORY_EVENTS = 51_200;
    static final long MAX_HISTORY_BYTES = 50L * 1024 * 1024;

    private Limits() {
    }

    /** For a client request: INVALID_ARGUMENT naming the field and the limit. */
    public static void checkRequest(String field, Payloads payloads) {
        if (payloads == null) {
            return; // absent: nothing to measure
        }
        for (Payload payload : payloads.getPayloadsList()) {
            if (payload.getSerializedSize() > MAX_PAYLOAD_BYTES) {
                throw ApiErrors.invalidArgument(field + ": a payload of " + payload.getSerializedSize()
                        + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES + " bytes (2 MiB).");
            }
        }
    }

    /** For a workflow task's command: fails the workflow task with the command's cause. */
    public static void checkPayloads(Collection<Payload> payloads, WorkflowTaskFailedCause cause) {
        for (Payload payload : payloads) {
            if (payload.getSerializedSize() > MAX_PAYLOAD_BYTES) {
                throw new CommandRejected(cause, "a payload of " + payload.getSerializedSize()
                        + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES + " bytes (2 MiB)");
            }
        }
    }

    /** Why the run's history is too large, or null while it is within the limits. */
    public static String historyExceeded(long events, long bytes) {
        if (events > MAX_HISTORY_EVENTS) {
            return "Workflow history count exceeds limit of " + MAX_HISTORY_EVENTS + " events.";
        }
        if (bytes > MAX_HISTORY_BYTES) {
            return "Workflow history size exceeds limit of " + MAX_HISTORY_BYTES + " bytes (50 MiB).";
        }
        return null;
    }
}
