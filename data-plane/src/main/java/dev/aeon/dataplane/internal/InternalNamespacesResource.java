package dev.aeon.dataplane.internal;

import dev.aeon.auth.NamespaceNames;
import dev.aeon.dataplane.history.run.NamespaceDeletions;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.namespace.NamespaceSettings;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * How the control plane provisions namespaces on this cell (docs/internal-api.md). Idempotent: the control plane
 * retries these calls until they succeed.
 */
@Path("/internal/v1/namespaces/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
public class InternalNamespacesResource {

    private final NamespaceRegistry namespaces;
    private final NamespaceDeletions deletions;

    public InternalNamespacesResource(NamespaceRegistry namespaces, NamespaceDeletions deletions) {
        this.namespaces = namespaces;
        this.deletions = deletions;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response provision(@PathParam("namespace") String name, NamespaceSettings settings) {
        String invalid = invalid(name, settings);
        if (invalid != null) {
            return InternalErrors.response(Response.Status.BAD_REQUEST, invalid);
        }
        try {
            return Response.ok(namespaces.provision(name, settings).settings()).build();
        } catch (StatusRuntimeException e) {
            return InternalErrors.response(Response.Status.BAD_REQUEST, e.getStatus().getDescription());
        }
    }

    @GET
    public Response get(@PathParam("namespace") String name) {
        try {
            Namespace namespace = namespaces.namespace(name);
            return namespace.provisioned() ? Response.ok(namespace.settings()).build() : notProvisioned(name);
        } catch (StatusRuntimeException notFound) {
            return notProvisioned(name);
        }
    }

    @DELETE
    public Map<String, Object> remove(@PathParam("namespace") String name) {
        return Map.of("namespace", name, "deleted", deletions.delete(name));
    }

    private static Response notProvisioned(String name) {
        return InternalErrors.response(Response.Status.NOT_FOUND, "namespace " + name + " is not provisioned here");
    }

    /** What the body must hold; the control plane validated the rest (CA bundles, filters) already. */
    private static String invalid(String name, NamespaceSettings settings) {
        if (settings == null) {
            return "body: the namespace settings are required";
        }
        String invalidAccount = NamespaceNames.invalidAccountId(settings.accountId());
        if (invalidAccount != null) {
            return "accountId: " + invalidAccount;
        }
        if (!NamespaceNames.belongsTo(name, settings.accountId())) {
            return "namespace: must be <name>." + settings.accountId() + " for account " + settings.accountId()
                    + ", was " + name;
        }
        if (settings.retentionDays() < 1) {
            return "retentionDays: must be at least 1, was " + settings.retentionDays();
        }
        String ca = settings.mtls().acceptedClientCa();
        if (settings.mtls().enabled() && (ca == null || ca.isBlank())) {
            return "mtls.acceptedClientCa: required when mtls.enabled is true";
        }
        if (!settings.apiKeyAuthEnabled() && !settings.mtls().enabled()) {
            return "apiKeyAuthEnabled, mtls.enabled: at least one way to connect must be enabled";
        }
        return invalidFields(settings);
    }

    /** A field is its type and a number ("Keyword01"), named by one attribute of that type: values stay typed. */
    private static String invalidFields(NamespaceSettings settings) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, String> entry : settings.searchAttributeFields().entrySet()) {
            String type = settings.searchAttributes().get(entry.getKey());
            String field = entry.getValue();
            if (type == null) {
                return "searchAttributeFields." + entry.getKey() + ": not in searchAttributes";
            }
            if (field == null || !field.matches(java.util.regex.Pattern.quote(type) + "[0-9]{2,3}")) {
                return "searchAttributeFields." + entry.getKey() + ": must be " + type + " and a number of two or"
                        + " three digits (\"" + type + "01\"), was " + field;
            }
            if (!seen.add(field)) {
                return "searchAttributeFields." + entry.getKey() + ": field " + field + " is another attribute's";
            }
        }
        for (Map.Entry<String, String> former : settings.formerSearchAttributeNames().entrySet()) {
            if (settings.searchAttributes().containsKey(former.getKey())) {
                return "formerSearchAttributeNames." + former.getKey() + ": is a current attribute's name";
            }
            if (!settings.searchAttributeFields().containsValue(former.getValue())) {
                return "formerSearchAttributeNames." + former.getKey() + ": must be the field of a current attribute"
                        + " (in searchAttributeFields), was " + former.getValue();
            }
        }
        return null;
    }
}
