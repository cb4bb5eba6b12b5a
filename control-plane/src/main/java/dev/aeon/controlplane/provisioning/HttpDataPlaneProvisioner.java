package dev.aeon.controlplane.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** {@link DataPlaneProvisioner} over the data plane's internal HTTP API, authenticated with the shared token. */
@ApplicationScoped
public class HttpDataPlaneProvisioner implements DataPlaneProvisioner {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataPlaneHttp http;

    @Override
    public void put(String namespaceId, NamespaceProvisioning namespace) throws ProvisioningException {
        String body;
        try {
            body = JSON.writeValueAsString(namespace);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        send(request(namespaceId).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
    }

    @Override
    public void delete(String namespaceId) throws ProvisioningException {
        send(request(namespaceId).DELETE().build());
    }

    private HttpRequest.Builder request(String namespaceId) {
        return http.request("/internal/v1/namespaces/" + URLEncoder.encode(namespaceId, StandardCharsets.UTF_8));
    }

    private void send(HttpRequest request) throws ProvisioningException {
        HttpResponse<String> response;
        try {
            response = http.send(request);
        } catch (IOException e) {
            throw new ProvisioningException("data plane at " + http.baseUrl() + " unreachable: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted", false);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new ProvisioningException("data plane answered " + request.method() + " with HTTP " + status
                    + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length()))), rejects(status));
        }
    }

    /**
     * Whether an answer refuses the change itself. 5xx is an outage; 401 means the two services disagree on the
     * internal token and 408/429 ask to come back later: an operator or time fixes those, not the client.
     */
    static boolean rejects(int status) {
        return status / 100 == 4 && status != 401 && status != 408 && status != 429;
    }
}
