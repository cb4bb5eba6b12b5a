package dev.aeon.dataplane.nexus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.enums.v1.NexusHandlerErrorRetryBehavior;
import io.temporal.api.nexus.v1.Failure;
import io.temporal.api.nexus.v1.Link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP answer to a Nexus request, in the Nexus HTTP protocol (nexus-rpc SPEC.md) as Temporal's frontend writes it
 * (common/nexus/nexusrpc/server.go): a status, headers (several values for {@code Nexus-Link}) and a body.
 */
public record NexusAnswer(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    /** Nexus's handler error types and the HTTP status each is answered with. */
    public enum HandlerErrorType {
        BAD_REQUEST(400), UNAUTHENTICATED(401), UNAUTHORIZED(403), NOT_FOUND(404), REQUEST_TIMEOUT(408),
        CONFLICT(409), RESOURCE_EXHAUSTED(429), INTERNAL(500), NOT_IMPLEMENTED(501), UNAVAILABLE(503),
        UPSTREAM_TIMEOUT(520);

        final int status;

        HandlerErrorType(int status) {
            this.status = status;
        }

        /** A worker's type; one Nexus does not define is an internal error, as Temporal treats it. */
        static HandlerErrorType named(String name) {
            for (HandlerErrorType type : values()) {
                if (type.name().equals(name)) {
                    return type;
                }
            }
            return null;
        }
    }

    /** 200: a synchronous result, its content and links. */
    static NexusAnswer syncSuccess(NexusContent content, List<Link> links) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        content.headers().forEach((name, value) -> headers.add(Map.entry("Content-" + capitalized(name), value)));
        links.forEach(link -> headers.add(link(link)));
        return new NexusAnswer(200, headers, content.data());
    }

    /** 201: an asynchronous operation started, named by its token. */
    static NexusAnswer asyncSuccess(String token, List<Link> links) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", JSON_TYPE));
        links.forEach(link -> headers.add(link(link)));
        ObjectNode info = JSON.createObjectNode().put("token", token).put("state", "running");
        return new NexusAnswer(201, headers, info.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** 202: a cancellation was accepted. */
    static NexusAnswer cancelAccepted() {
        return new NexusAnswer(202, List.of(), new byte[0]);
    }

    /** 424: the operation failed or was canceled; the body is the worker's failure. */
    static NexusAnswer operationError(String state, Failure failure) {
        return new NexusAnswer(424, List.of(Map.entry("Content-Type", JSON_TYPE),
                Map.entry("Nexus-Operation-State", state)), failureJson(failure));
    }

    /** A handler error a worker returned: its failure as the body, its retry behaviour as a header. */
    static NexusAnswer workerHandlerError(String typeName, Failure failure, NexusHandlerErrorRetryBehavior retry) {
        HandlerErrorType type = HandlerErrorType.named(typeName);
        if (type == null) {
            return handlerError(HandlerErrorType.INTERNAL, "internal error", null);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", JSON_TYPE));
        switch (retry) {
            case NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE -> headers.add(Map.entry("Nexus-Request-Retryable", "true"));
            case NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE ->
                    headers.add(Map.entry("Nexus-Request-Retryable", "false"));
            default -> {
            }
        }
        return new NexusAnswer(type.status, headers, failureJson(failure));
    }

    /**
     * A handler error the server itself answers (unknown endpoint, timeout, refused credentials): Nexus's failure
     * for it, {@code {"message", "metadata": {"type": "nexus.HandlerError"}, "details": {"type", ...}}}.
     *
     * @param retryable null when the error type's default applies
     */
    public static NexusAnswer handlerError(HandlerErrorType type, String message, Boolean retryable) {
        ObjectNode details = JSON.createObjectNode().put("type", type.name());
        if (retryable != null) {
            details.put("retryableOverride", retryable);
        }
        ObjectNode failure = JSON.createObjectNode().put("message", message);
        failure.putObject("metadata").put("type", "nexus.HandlerError");
        failure.set("details", details);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", JSON_TYPE));
        if (retryable != null) {
            headers.add(Map.entry("Nexus-Request-Retryable", retryable.toString()));
        }
        return new NexusAnswer(type.status, headers, failure.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Nexus's failure JSON of a worker's failure: its details are JSON already. */
    private static byte[] failureJson(Failure failure) {
        ObjectNode json = JSON.createObjectNode().put("message", failure.getMessage());
        if (failure.getMetadataCount() > 0) {
            ObjectNode metadata = json.putObject("metadata");
            failure.getMetadataMap().forEach(metadata::put);
        }
        if (!failure.getDetails().isEmpty()) {
            try {
                JsonNode details = JSON.readTree(failure.getDetails().toByteArray());
                json.set("details", details);
            } catch (IOException notJson) {
                json.put("details", failure.getDetails().toStringUtf8());
            }
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map.Entry<String, String> link(Link link) {
        return Map.entry("Nexus-Link", "<" + link.getUrl() + ">; type=\"" + link.getType() + "\"");
    }

    private static String capitalized(String header) {
        return header.isEmpty() ? header : Character.toUpperCase(header.charAt(0)) + header.substring(1);
    }
}
