package dev.aeon.codec.http;

import dev.aeon.auth.NamespacePermission;
import dev.aeon.codec.CodecException;
import dev.aeon.codec.access.CurrentNamespaceCall;
import dev.aeon.codec.access.RequiresNamespacePermission;
import dev.aeon.codec.keys.DataKey;
import dev.aeon.codec.keys.DataKeyService;
import dev.aeon.codec.keys.KeyState;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A namespace's data keys. {@code POST} creates a key that becomes current (the first key, and every rotation);
 * with {@code {"keyId", "key"}} it imports a key the tenant already encrypts with. Key material is accepted on import
 * and never returned.
 */
@Path("/codec/keys/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

    /** Body of {@code POST}: both absent generates a key; {@code keyId} alone names it; with {@code key} imports. */
    public record CreateKeyRequest(String keyId, String key) {
    }

    public record KeyView(String namespace, String keyId, int version, KeyState state, boolean current,
                          OffsetDateTime createdAt, OffsetDateTime stateChangedAt) {
    }

    public record KeyListView(String namespace, String currentKeyId, List<KeyView> keys) {
    }

    @Inject
    DataKeyService keys;

    @Inject
    CurrentNamespaceCall call;

    @POST
    @Consumes(MediaType.WILDCARD)
    @RequiresNamespacePermission(NamespacePermission.ADMIN)
    public Response create(@PathParam("namespace") String namespace, String body) {
        CreateKeyRequest request = JsonBodies.read(body, CreateKeyRequest.class, "{\"keyId\": ..., \"key\": ...}");
        DataKey key;
        if (request != null && request.key() != null) {
            key = keys.importKey(call.namespace(), request.keyId(), base64(request.key()));
        } else {
            key = keys.create(call.namespace(), Optional.ofNullable(request == null ? null : request.keyId()));
        }
        return Response.status(Response.Status.CREATED).entity(view(key, key.keyId())).build();
    }

    @GET
    @RequiresNamespacePermission(NamespacePermission.READ)
    public KeyListView list(@PathParam("namespace") String namespace) {
        List<DataKey> all = keys.list(call.namespace());
        String current = all.stream().filter(DataKey::enabled).map(DataKey::keyId).findFirst().orElse(null);
        return new KeyListView(call.namespace(), current, all.stream().map(k -> view(k, current)).toList());
    }

    @POST
    @Path("{keyId}/disable")
    @RequiresNamespacePermission(NamespacePermission.ADMIN)
    public KeyView disable(@PathParam("namespace") String namespace, @PathParam("keyId") String keyId) {
        keys.setState(call.namespace(), keyId, KeyState.DISABLED);
        return find(keyId);
    }

    @POST
    @Path("{keyId}/enable")
    @RequiresNamespacePermission(NamespacePermission.ADMIN)
    public KeyView enable(@PathParam("namespace") String namespace, @PathParam("keyId") String keyId) {
        keys.setState(call.namespace(), keyId, KeyState.ENABLED);
        return find(keyId);
    }

    /** The key as the list shows it, with {@code current} computed against its siblings. */
    private KeyView find(String keyId) {
        return list(call.namespace()).keys().stream().filter(k -> k.keyId().equals(keyId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("key " + keyId + " vanished"));
    }

    private static KeyView view(DataKey key, String currentKeyId) {
        return new KeyView(key.namespace(), key.keyId(), key.version(), key.state(),
                key.keyId().equals(currentKeyId), key.createdAt(), key.stateChangedAt());
    }

    private static byte[] base64(String key) {
        try {
            return Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Cause.INVALID_KEY, "key must be base64 (standard alphabet) of"
                    + " 32 bytes");
        }
    }
}
