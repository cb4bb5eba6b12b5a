package dev.aeon.dataplane.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aeon.auth.ApiKeyPrincipal;
import dev.aeon.auth.CertificatePrincipal;
import dev.aeon.auth.InternalToken;
import dev.aeon.auth.Principal;
import dev.aeon.dataplane.errors.ApiErrors;
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
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's side of a namespace it owns: changes a tenant makes on the data plane to what the control
 * plane provisioned (search attributes) are sent to it, never written here (docs/internal-api.md), and come back
 * through provisioning.
 */
@ApplicationScoped
public class ControlPlaneNamespaces {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI controlPlane;
    private final String internalToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public ControlPlaneNamespaces(@ConfigProperty(name = "aeon.auth.control-plane-url",
                                          defaultValue = "http://127.0.0.1:7240") URI controlPlane,
                                  @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken) {
        this.controlPlane = controlPlane;
        this.internalToken = internalToken.orElse("");
    }

    /**
     * Asks the control plane to add search attributes (names to Temporal type names) to the namespace's spec, on
     * behalf of {@code caller}. The id of the operation that applies them, or empty when the spec has them already.
     * The control plane's refusals keep its words: INVALID_ARGUMENT, FAILED_PRECONDITION (an operation is running
     * on the namespace), NOT_FOUND; anything else is UNAVAILABLE.
     */
    public Optional<String> addSearchAttributes(String namespace, Map<String, String> typeNames, Principal caller) {
        ObjectNode body = JSON.createObjectNode();
        typeNames.forEach(body.putObject("add")::put);
        body.set("requestedBy", requestedBy(caller));
        HttpRequest request = HttpRequest.newBuilder(controlPlane.resolve("/internal/v1/namespaces/"
                        + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/search-attributes"))
                .timeout(TIMEOUT)
                .header(InternalToken.HEADER, internalToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("the control plane cannot be reached (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
        JsonNode answer = parse(response.body());
        String message = answer.path("message").asText("");
        return switch (response.statusCode()) {
            case 200 -> Optional.ofNullable(answer.path("asyncOperationId").textValue());
            case 404 -> throw ApiErrors.namespaceNotFound(namespace);
            case 400 -> throw "FAILED_PRECONDITION".equals(answer.path("code").asText())
                    ? Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException()
                    : ApiErrors.invalidArgument(message);
            default -> throw unavailable("the control plane answered " + response.statusCode()
                    + (message.isEmpty() ? "" : ": " + message));
        };
    }

    /** Who asked, as the control plane's internal calls from the data plane name the caller (for its audit log). */
    public static ObjectNode requestedBy(Principal caller) {
        ObjectNode by = JSON.createObjectNode();
        if (caller instanceof ApiKeyPrincipal key) {
            by.put("principalType", key.ownerType()).put("principalId", key.ownerId()).put("apiKeyId", key.keyId());
        } else if (caller instanceof CertificatePrincipal certificate) {
            by.put("principalType", "certificate").put("principalId", certificate.describe());
        } else {
            by.put("principalType", "data-plane").put("principalId", "unauthenticated (aeon.auth.enabled=false)");
        }
        if (caller != null) {
            by.put("accountId", caller.accountId());
        }
        return by;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static RuntimeException unavailable(String why) {
        return Status.UNAVAILABLE.withDescription("Unable to save search attributes: " + why).asRuntimeException();
    }
}
