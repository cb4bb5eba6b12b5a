package dev.aeon.dataplane.nexus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aeon.auth.InternalToken;
import dev.aeon.auth.Principal;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.namespace.ControlPlaneNamespaces;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * OperatorService's Nexus endpoint changes go to the control plane, the registry's source of truth
 * ({@code /internal/v1/nexus-endpoints} there, docs/internal-api.md), and come back through provisioning. Refusals keep
 * the control plane's words: INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS; anything else is
 * UNAVAILABLE.
 */
@ApplicationScoped
public class ControlPlaneNexusEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI controlPlane;
    private final String internalToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public ControlPlaneNexusEndpoints(@ConfigProperty(name = "aeon.auth.control-plane-url",
                                              defaultValue = "http://127.0.0.1:7240") URI controlPlane,
                                      @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken) {
        this.controlPlane = controlPlane;
        this.internalToken = internalToken.orElse("");
    }

    /** What OperatorService's spec sets: name, worker target, description (a base64 Payload, or null). */
    public record OperatorSpec(String name, String targetNamespace, String targetTaskQueue, String description) {
    }

    /** Creates the endpoint; its id. */
    public String create(OperatorSpec spec, Principal caller) {
        return send(HttpRequest.newBuilder(controlPlane.resolve("/internal/v1/nexus-endpoints"))
                .POST(body(spec, caller)), null);
    }

    public void update(String id, OperatorSpec spec, Principal caller) {
        send(HttpRequest.newBuilder(endpoint(id, "")).PUT(body(spec, caller)), id);
    }

    public void delete(String id, Principal caller) {
        send(HttpRequest.newBuilder(endpoint(id, "/delete")).POST(body(null, caller)), id);
    }

    private URI endpoint(String id, String suffix) {
        return controlPlane.resolve("/internal/v1/nexus-endpoints/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                + suffix);
    }

    private static HttpRequest.BodyPublisher body(OperatorSpec spec, Principal caller) {
        ObjectNode body = JSON.createObjectNode();
        if (spec != null) {
            body.set("spec", JSON.valueToTree(spec));
        }
        body.set("requestedBy", ControlPlaneNamespaces.requestedBy(caller));
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }

    /** The endpoint id the control plane answered. */
    private String send(HttpRequest.Builder request, String id) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).header(InternalToken.HEADER, internalToken)
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("the control plane cannot be reached (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body() == null || response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            answer = JSON.createObjectNode();
        }
        String message = answer.path("message").asText("");
        return switch (response.statusCode()) {
            case 200 -> answer.path("endpointId").asText(id);
            case 404 -> throw ApiErrors.notFound("Nexus endpoint with ID " + id + " not found");
            case 409 -> throw Status.ALREADY_EXISTS.withDescription(message).asRuntimeException();
            case 400 -> throw "FAILED_PRECONDITION".equals(answer.path("code").asText())
                    ? Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException()
                    : ApiErrors.invalidArgument(message);
            default -> throw unavailable("the control plane answered " + response.statusCode()
                    + (message.isEmpty() ? "" : ": " + message));
        };
    }

    private static RuntimeException unavailable(String why) {
        return Status.UNAVAILABLE.withDescription("Unable to change the Nexus endpoint: " + why).asRuntimeException();
    }
}
