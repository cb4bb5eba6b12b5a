package dev.aeon.dataplane.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards {@code /internal/...}: only Aeon's own services, holding the shared {@code aeon.internal.token}, may
 * call it (docs/internal-api.md). Without a configured token the internal API is closed.
 */
public class InternalTokenFilter {

    static final String HEADER = "X-Aeon-Internal-Token";

    private final Optional<String> token;

    public InternalTokenFilter(@ConfigProperty(name = "aeon.internal.token") Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank());
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal/")) {
            return Optional.empty();
        }
        if (token.isEmpty()) {
            return Optional.of(InternalErrors.response(Response.Status.UNAUTHORIZED,
                    "the internal API is closed: aeon.internal.token is not configured"));
        }
        String presented = request.getHeaderString(HEADER);
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(InternalErrors.response(Response.Status.UNAUTHORIZED,
                    HEADER + ": missing or wrong internal token"));
        }
        return Optional.empty();
    }
}
