package dev.aeon.dataplane.history.rules;

import com.google.protobuf.Duration;
import dev.aeon.dataplane.errors.ApiErrors;

/** Request checks whose errors name the field and the rule, as Temporal's frontend words them. */
public final class Validation {

    /** Temporal's default limit for ids and names. */
    public static final int MAX_ID_LENGTH = 1000;

    private Validation() {
    }

    public static void requireId(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiErrors.invalidArgument(field + " is not set on request.");
        }
        maxLength(field, value);
    }

    /** An id or name a tenant chooses (task queues among them; held in memory): Temporal's 1,000 characters. */
    public static void maxLength(String field, String value) {
        if (value.length() > MAX_ID_LENGTH) {
            throw ApiErrors.invalidArgument(field + " exceeds length limit of " + MAX_ID_LENGTH + ".");
        }
    }

    /** A command's task queue, or the run's own when it names none; too long a name fails the workflow task. */
    public static String commandTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue requested, String inherited,
                                   io.temporal.api.enums.v1.WorkflowTaskFailedCause bad) {
        String name = requested.getName();
        if (name.length() > MAX_ID_LENGTH) {
            throw new CommandRejected(bad, "task_queue.name exceeds length limit of " + MAX_ID_LENGTH + ".");
        }
        return name.isEmpty() ? inherited : name;
    }

    public static void nonNegative(String field, Duration value) {
        if (value.getSeconds() < 0 || value.getNanos() < 0) {
            throw ApiErrors.invalidArgument(field + " must not be negative.");
        }
    }
}
