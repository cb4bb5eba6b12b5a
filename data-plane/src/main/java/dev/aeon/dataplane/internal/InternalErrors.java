package dev.aeon.dataplane.internal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The internal API's error body: {@code {"code": "...", "message": "..."}}, the message naming field and rule. */
final class InternalErrors {

    private InternalErrors() {
    }

    static Response response(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("code", status.name(), "message", message)).build();
    }
}
