package dev.aeon.codec.http;

import dev.aeon.codec.access.CurrentNamespaceCall;
import dev.aeon.codec.access.NamespaceCall;
import dev.aeon.codec.cors.CorsPolicies;
import dev.aeon.codec.cors.CorsPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.time.Duration;
import java.util.Optional;

/**
 * CORS for browsers (the console, the Temporal Web UI). Preflights are answered before routing and before any
 * authentication (browsers send them without credentials); other responses carry the CORS headers that the
 * namespace of the call allows ({@link CorsPolicies}).
 */
public class CorsFilter {

    static final String ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization, Authorization-Extras";
    static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS";

    @Inject
    CorsPolicies policies;

    @Inject
    CurrentNamespaceCall currentCall;

    @ConfigProperty(name = "aeon.codec.cors.max-age", defaultValue = "10m")
    Duration maxAge;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> preflight(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || origin == null
                || request.getHeaderString("Access-Control-Request-Method") == null) {
            return Optional.empty();
        }
        Optional<CorsPolicy.Grant> grant = policies.forAnyNamespace(origin);
        if (grant.isEmpty()) {
            return Optional.of(Response.status(Response.Status.FORBIDDEN)
                    .header("Vary", "Origin")
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorMapper.ErrorBody("origin is not allowed by any namespace's CORS policy"
                            + " (aeon.codec.cors.allowed-origins, PUT /codec/cors/{namespace})",
                            "origin-not-allowed", null))
                    .build());
        }
        Response.ResponseBuilder response = Response.ok()
                .header("Access-Control-Allow-Origin", grant.get().allowOrigin())
                .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", maxAge.toSeconds())
                .header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        if (grant.get().allowCredentials()) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
        return Optional.of(response.build());
    }

    @ServerResponseFilter
    public void addCorsHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        MultivaluedMap<String, Object> headers = response.getHeaders();
        if (origin == null || headers.containsKey("Access-Control-Allow-Origin")
                || HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        Optional<NamespaceCall> call = currentCall.find();
        Optional<CorsPolicy.Grant> grant = call.isPresent()
                ? policies.forNamespace(call.get().namespace(), origin)
                : policies.forAnyNamespace(origin);
        headers.add("Vary", "Origin");
        grant.ifPresent(g -> {
            headers.putSingle("Access-Control-Allow-Origin", g.allowOrigin());
            if (g.allowCredentials()) {
                headers.putSingle("Access-Control-Allow-Credentials", "true");
            }
        });
    }
}
