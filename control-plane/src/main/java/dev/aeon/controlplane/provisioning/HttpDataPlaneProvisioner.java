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
    private static final String NAMESPACES = "/internal/v1/namespaces/";
    private static final String NEXUS_ENDPOINTS = "/internal/v1/nexus-endpoints/";

    @Inject
    DataPlaneHttp http;

    @Override
    public void put(String namespaceId, NamespaceProvisioning namespace) throws ProvisioningException {
        putJson(NAMESPACES + namespaceId, namespace);
    }

    @Override
    public void delete(String namespaceId) throws ProvisioningException {
        send(request(NAMESPACES + namespaceId).DELETE().build());
    }

    @Override
    public void putNexusEndpoint(String endpointId, NexusEndpointProvisioning endpoint) throws ProvisioningException {
        putJson(NEXUS_ENDPOINTS + endpointId, endpoint);
    }

    @Override
    public void deleteNexusEndpoint(String endpointId) throws ProvisioningException {
        send(request(NEXUS_ENDPOINTS + endpointId).DELETE().build());
    }

    private void putJson(String resource, Object body) throws ProvisioningException {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        send(request(resource).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build());
    }

    /** @param resource the collection's path and the resource's id, which is encoded here */
    private HttpRequest.Builder request(String resource) {
        int slash = resource.lastIndexOf('/');
        return http.request(resource.substring(0, slash + 1)
                + URLEncoder.encode(resource.substring(slash + 1), StandardCharsets.UTF_8));
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
