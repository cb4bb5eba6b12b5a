package dev.aeon.dataplane.schedule.spec;

import dev.aeon.dataplane.errors.ApiErrors;
import io.grpc.StatusRuntimeException;

/**
 * A schedule spec Temporal's server refuses. The message is the reason in Temporal's words (its
 * {@code canonicalizeSpec} and time-zone loading), for example {@code Minute is not in range [0-59]}.
 */
public final class InvalidScheduleSpecException extends RuntimeException {

    /** The longest reason quoted back to a client: it may repeat user input, and gRPC trailers are capped. */
    private static final int MAX_REASON = 1000;

    public InvalidScheduleSpecException(String reason) {
        super(reason);
    }

    /** INVALID_ARGUMENT as Temporal's frontend answers CreateSchedule and UpdateSchedule for this spec. */
    public StatusRuntimeException toApiError() {
        String reason = getMessage().length() <= MAX_REASON ? getMessage()
                : getMessage().substring(0, MAX_REASON) + "...";
        return ApiErrors.invalidArgument("Invalid schedule spec: " + reason);
    }
}
