package dev.aeon.codec.http;

import dev.aeon.auth.NamespacePermission;
import dev.aeon.codec.CodecException;
import dev.aeon.codec.access.CurrentNamespaceCall;
import dev.aeon.codec.access.RequiresNamespacePermission;
import dev.aeon.codec.cors.CorsPolicies;
import dev.aeon.codec.cors.CorsPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * The browser origins a namespace allows in addition to the configured defaults (the console), e.g. the tenant's
 * own Temporal Web UI, and whether they may send credentials.
 */
@Path("/codec/cors/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
public class CorsSettingsResource {

    public record CorsSettings(List<String> allowedOrigins, Boolean allowCredentials) {
    }

    /** {@code own} is the namespace's policy (null if it has none); {@code defaults} apply to every namespace. */
    public record CorsView(String namespace, CorsSettings own, CorsSettings defaults) {
    }

    @Inject
    CorsPolicies policies;

    @Inject
    CurrentNamespaceCall call;

    @GET
    @RequiresNamespacePermission(NamespacePermission.READ)
    public CorsView get(@PathParam("namespace") String namespace) {
        return view();
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @RequiresNamespacePermission(NamespacePermission.ADMIN)
    public CorsView put(@PathParam("namespace") String namespace, String body) {
        CorsSettings settings = JsonBodies.read(body, CorsSettings.class,
                "{\"allowedOrigins\": [...], \"allowCredentials\": false}");
        if (settings == null || settings.allowedOrigins() == null) {
            throw new CodecException(CodecException.Cause.INVALID_ORIGIN, "allowedOrigins is required (a list of"
                    + " scheme://host[:port] origins, or [\"*\"])");
        }
        boolean credentials = Boolean.TRUE.equals(settings.allowCredentials());
        policies.save(call.namespace(), CorsPolicy.of(settings.allowedOrigins(), credentials, "allowedOrigins"));
        return view();
    }

    @DELETE
    @RequiresNamespacePermission(NamespacePermission.ADMIN)
    public CorsView delete(@PathParam("namespace") String namespace) {
        policies.delete(call.namespace());
        return view();
    }

    private CorsView view() {
        CorsSettings own = policies.find(call.namespace())
                .map(p -> new CorsSettings(p.allowedOrigins(), p.allowCredentials())).orElse(null);
        CorsPolicy defaults = policies.defaults();
        return new CorsView(call.namespace(), own,
                new CorsSettings(defaults.allowedOrigins(), defaults.allowCredentials()));
    }
}
