package dev.aeon.controlplane.provisioning;

import dev.aeon.auth.InternalToken;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The data plane's internal HTTP API as the control plane calls it: its address, the shared token, a timeout. */
@ApplicationScoped
public class DataPlaneHttp {

    @ConfigProperty(name = "aeon.control-plane.data-plane-url", defaultValue = "http://127.0.0.1:7241")
    String baseUrl;

    @ConfigProperty(name = "aeon.internal.token")
    Optional<String> internalToken;

    @ConfigProperty(name = "aeon.control-plane.provisioning.request-timeout", defaultValue = "10s")
    Duration timeout;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A request to {@code path} ({@code /internal/v1/...}, already encoded), with the internal token. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + path))
                .timeout(timeout);
        internalToken.ifPresent(token -> builder.header(InternalToken.HEADER, token));
        return builder;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    String baseUrl() {
        return baseUrl;
    }
}
