package dev.aeon.dataplane.visibility.query;

import dev.aeon.dataplane.errors.ApiErrors;
import io.grpc.StatusRuntimeException;

/** Temporal's visibility query errors: INVALID_ARGUMENT, "invalid query: " and the converter's wording. */
public final class QueryErrors {

    static final String MALFORMED = "malformed SQL query";
    static final String NOT_SUPPORTED = "operation is not supported";
    static final String INVALID_EXPRESSION = "invalid expression";

    private QueryErrors() {
    }

    public static StatusRuntimeException invalidQuery(String message) {
        return ApiErrors.invalidArgument("invalid query: " + message);
    }

    static StatusRuntimeException notSupported(String what) {
        return invalidQuery(NOT_SUPPORTED + ": " + what);
    }

    static StatusRuntimeException invalidExpression(String what) {
        return invalidQuery(INVALID_EXPRESSION + ": " + what);
    }
}
