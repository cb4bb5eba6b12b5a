package dev.aeon.controlplane.internal;

import dev.aeon.auth.InternalToken;
import dev.aeon.controlplane.error.CloudApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Every {@code /internal/...} request must carry {@code X-Aeon-Internal-Token} equal to {@code aeon.internal.token}
 * (docs/internal-api.md); without a configured token, internal endpoints refuse everyone.
 */
@ApplicationScoped
public class InternalTokenFilter {

    @ConfigProperty(name = "aeon.internal.token")
    Optional<String> token;

    @ServerRequestFilter(preMatching = true)
    public void require(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal/")) {
            return;
        }
        InternalToken.refusal(token, request.getHeaderString(InternalToken.HEADER)).ifPresent(reason -> {
            throw CloudApiException.unauthenticated(reason);
        });
    }
}
