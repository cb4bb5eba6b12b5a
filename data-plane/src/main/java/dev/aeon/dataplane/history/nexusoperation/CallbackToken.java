package dev.aeon.dataplane.history.nexusoperation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Names the operation a completion callback completes: the caller's run and scheduled event, and the operation's
 * request id. Sent with the start request as the callback header {@code Temporal-Callback-Token} (Temporal's name);
 * the handler attaches it to the workflow it starts, and it comes back when that workflow closes.
 *
 * <p>Not a secret and not signed, and it need not be: a completion is accepted only from a run of the namespace the
 * operation's endpoint targets, and only with the operation's request id, a random UUID only that namespace's
 * handler was told. So one tenant cannot complete another's operations by forging a token.
 */
record CallbackToken(String namespaceId, String workflowId, String runId, long scheduledEventId, String requestId) {

    /** The callback header carrying the token, lower-cased as headers are kept. */
    static final String HEADER = "temporal-callback-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    String encode() {
        ObjectNode json = JSON.createObjectNode().put("v", 1).put("ns", namespaceId).put("wid", workflowId)
                .put("rid", runId).put("eid", scheduledEventId).put("req", requestId);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The token, or empty when it is not one of ours (malformed, another version). */
    static Optional<CallbackToken> decode(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (json == null || json.path("v").asInt() != 1) {
                return Optional.empty();
            }
            return Optional.of(new CallbackToken(json.path("ns").asText(), json.path("wid").asText(),
                    json.path("rid").asText(), json.path("eid").asLong(), json.path("req").asText()));
        } catch (IOException | IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
