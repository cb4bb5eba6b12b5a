package dev.aeon.controlplane.internal;

import dev.aeon.controlplane.api.CloudApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Every {@code /internal/...} request must carry {@code X-Aeon-Internal-Token} equal to {@code aeon.internal.token}
 * (docs/internal-api.md); without a configured token, internal endpoints refuse everyone.
 */
@ApplicationScoped
public class InternalToken {

    static final String HEADER = "X-Aeon-Internal-Token";

    @ConfigProperty(name = "aeon.internal.token")
    Optional<String> token;

    @ServerRequestFilter(preMatching = true)
    public void require(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal/")) {
            return;
        }
        String presented = request.getHeaderString(HEADER);
        if (token.isEmpty() || token.get().isBlank()) {
            throw CloudApiException.unauthenticated("internal endpoints are disabled: aeon.internal.token is not set");
        }
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            throw CloudApiException.unauthenticated(HEADER + " is missing or wrong");
        }
    }
}
