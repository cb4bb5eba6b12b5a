package dev.aeon.dataplane.history;

import com.google.protobuf.Duration;
import dev.aeon.dataplane.frontend.ApiErrors;

/** Request checks whose errors name the field and the rule, as Temporal's frontend words them. */
final class Validation {

    /** Temporal's default limit for ids and names. */
    static final int MAX_ID_LENGTH = 1000;

    private Validation() {
    }

    static void requireId(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiErrors.invalidArgument(field + " is not set on request.");
        }
        maxLength(field, value);
    }

    /** An optional id: empty, or at most {@link #MAX_ID_LENGTH} characters. */
    static void maxLength(String field, String value) {
        if (value.length() > MAX_ID_LENGTH) {
            throw ApiErrors.invalidArgument(field + " exceeds length limit of " + MAX_ID_LENGTH + ".");
        }
    }

    static void nonNegative(String field, Duration value) {
        if (value.getSeconds() < 0 || value.getNanos() < 0) {
            throw ApiErrors.invalidArgument(field + " must not be negative.");
        }
    }
}
