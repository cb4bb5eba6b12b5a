package dev.aeon.dataplane.internal;

import dev.aeon.auth.InternalToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Guards {@code /internal/...}: only Aeon's own services, holding the shared {@code aeon.internal.token}, may
 * call it (docs/internal-api.md). Without a configured token the internal API is closed.
 */
public class InternalTokenFilter {

    private final Optional<String> token;

    public InternalTokenFilter(@ConfigProperty(name = "aeon.internal.token") Optional<String> token) {
        this.token = token;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal/")) {
            return Optional.empty();
        }
        return InternalToken.refusal(token, request.getHeaderString(InternalToken.HEADER))
                .map(reason -> InternalErrors.response(Response.Status.UNAUTHORIZED, reason));
    }
}
