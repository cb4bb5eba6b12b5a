package dev.aeon.codec.auth;

import dev.aeon.auth.AuthException;
import dev.aeon.auth.Authorizer;
import dev.aeon.auth.NamespacePermission;
import dev.aeon.auth.apikey.ApiKeyAuthenticator;
import dev.aeon.codec.access.CurrentNamespaceCall;
import dev.aeon.codec.access.NamespaceCall;
import dev.aeon.codec.http.ErrorMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may use a namespace's codec: the caller's API key ({@code Authorization: Bearer <key>}, as the Temporal UI and
 * CLI send it) must hold the permission the endpoint declares on the namespace the request resolved to — READ to
 * decode, WRITE to encode, ADMIN for keys and CORS settings. 401 without a valid key, 403 without the permission,
 * 404 for another tenant's namespace (worded exactly like a missing one). Runs after {@code NamespaceCallResolver}.
 */
public class CallerAuthorization {

    private static final Logger LOG = Logger.getLogger(CallerAuthorization.class);

    private final boolean enabled;
    private final ApiKeyAuthenticator apiKeys;
    private final CurrentNamespaceCall current;

    public CallerAuthorization(@ConfigProperty(name = "aeon.auth.enabled", defaultValue = "true") boolean enabled,
                               @ConfigProperty(name = "aeon.auth.control-plane-url",
                                       defaultValue = "http://127.0.0.1:7240") URI controlPlane,
                               @ConfigProperty(name = "aeon.auth.issuer",
                                       defaultValue = "https://aeon.local/control-plane") String issuer,
                               @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken,
                               CurrentNamespaceCall current) {
        this.enabled = enabled;
        this.current = current;
        this.apiKeys = ApiKeyAuthenticator.builder(controlPlane, internalToken.orElse("")).issuer(issuer).build();
        if (!enabled) {
            LOG.warn("aeon.auth.enabled=false: every caller may use every namespace's codec (tests only)");
        }
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Uni<Response> authorize(ContainerRequestContext request) {
        Optional<NamespaceCall> call = current.find();
        if (!enabled || call.isEmpty()) {
            return Uni.createFrom().nullItem(); // health, metrics and preflights carry no namespace
        }
        String namespace = call.get().namespace();
        NamespacePermission required = call.get().permission();
        String operation = request.getMethod() + " " + request.getUriInfo().getPath();
        try {
            String token = ApiKeyAuthenticator.bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
            return Uni.createFrom().completionStage(() -> apiKeys.authenticateAsync(token))
                    .map(principal -> {
                        Authorizer.require(principal, namespace, required, operation);
                        return (Response) null;
                    })
                    .onFailure(AuthException.class).recoverWithItem(error -> refusal((AuthException) error));
        } catch (AuthException e) {
            return Uni.createFrom().item(refusal(e));
        }
    }

    private static Response refusal(AuthException error) {
        Response.Status status = switch (error.kind()) {
            case UNAUTHENTICATED -> Response.Status.UNAUTHORIZED;
            case PERMISSION_DENIED -> Response.Status.FORBIDDEN;
            case NAMESPACE_NOT_FOUND -> Response.Status.NOT_FOUND;
            case UNAVAILABLE -> Response.Status.SERVICE_UNAVAILABLE;
        };
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMapper.ErrorBody(error.getMessage(), error.kind().name().toLowerCase(Locale.ROOT), null))
                .build();
    }
}
