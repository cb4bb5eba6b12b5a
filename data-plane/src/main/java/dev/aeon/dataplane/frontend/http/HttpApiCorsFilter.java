package dev.aeon.dataplane.frontend.http;

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
import java.util.List;
import java.util.Optional;

/**
 * CORS on Temporal's HTTP API ({@code /api/v1/...}) for the web console, which a browser loads from another origin
 * (the control plane's). Preflights are answered before routing and before authentication, since browsers send
 * them without the API key; only the configured origins get the headers, and no credentials (cookies) are allowed:
 * the console sends its key as a bearer token. The internal API ({@code /internal/...}) never answers a browser.
 */
public class HttpApiCorsFilter {

    static final String ALLOWED_HEADERS = "Authorization, Content-Type";
    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

    @ConfigProperty(name = "aeon.data-plane.http.cors.allowed-origins")
    Optional<List<String>> allowedOrigins;

    @ConfigProperty(name = "aeon.data-plane.http.cors.max-age", defaultValue = "10m")
    Duration maxAge;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> preflight(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || origin == null
                || request.getHeaderString("Access-Control-Request-Method") == null || !onHttpApi(request)) {
            return Optional.empty();
        }
        if (!allowed(origin)) {
            return Optional.of(Response.status(Response.Status.FORBIDDEN).header("Vary", "Origin")
                    .type(MediaType.APPLICATION_JSON)
                    .entity("{\"code\":7,\"message\":\"origin is not allowed"
                            + " (aeon.data-plane.http.cors.allowed-origins)\"}")
                    .build());
        }
        return Optional.of(Response.ok()
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", maxAge.toSeconds())
                .header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
                .build());
    }

    /** Every answer of the HTTP API to an allowed origin, errors included, so the console can show their message. */
    @ServerResponseFilter
    public void addCorsHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || !onHttpApi(request) || HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.add("Vary", "Origin");
        if (allowed(origin)) {
            headers.putSingle("Access-Control-Allow-Origin", origin);
        }
    }

    private boolean allowed(String origin) {
        return allowedOrigins.map(origins -> origins.contains(origin)).orElse(false);
    }

    private static boolean onHttpApi(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return (path.startsWith("/") ? path : "/" + path).startsWith(HttpApiRoutes.PREFIX);
    }
}
