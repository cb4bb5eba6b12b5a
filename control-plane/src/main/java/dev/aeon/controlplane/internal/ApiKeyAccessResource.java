package dev.aeon.controlplane.internal;

import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.security.KeyAccessResolver;
import dev.aeon.controlplane.store.ResourceStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /internal/v1/api-keys/{keyId}/access}: what a key may do now, for verifiers on the data plane and the
 * codec server (docs/internal-api.md). Read from the store on every request, so a disable shows at once.
 */
@Path("/internal/v1/api-keys/{keyId}/access")
public class ApiKeyAccessResource {

    /** The contract's body. */
    public record Access(String keyId, String accountId, String ownerId, String ownerType, boolean enabled,
                         String expiresAt, String accountRole, Map<String, String> namespacePermissions) {
    }

    @Inject
    ResourceStore store;

    @Inject
    KeyAccessResolver resolver;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Access access(@PathParam("keyId") String keyId) {
        dev.aeon.auth.Access access = store.findApiKeyAccount(keyId)
                .flatMap(accountId -> resolver.resolve(accountId, keyId))
                .orElseThrow(() -> CloudApiException.notFound("API key", keyId));
        Map<String, String> permissions = new TreeMap<>();
        access.namespacePermissions().forEach((namespace, permission) -> permissions.put(namespace, permission.name()));
        String role = access.accountRole() == null ? null : access.accountRole().name();
        return new Access(access.keyId(), access.accountId(), access.ownerId(), access.ownerType(),
                access.enabled(), access.expiresAt() == null ? null : access.expiresAt().toString(), role,
                permissions);
    }
}
