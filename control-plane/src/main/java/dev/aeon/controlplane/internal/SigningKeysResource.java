package dev.aeon.controlplane.internal;

import dev.aeon.controlplane.security.SigningKeys;
import dev.aeon.controlplane.store.SigningKeyRow;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * The operator's handle on the keys that sign API keys (docs/internal-api.md): list them, rotate (a new key signs
 * from now on; the old one keeps verifying), retire an old key (what it signed stops verifying). Behind the
 * internal token like every {@code /internal} path: signing keys are the platform's, not a tenant's.
 */
@Path("/internal/v1/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeysResource {

    /** A key as listed: never its private part. */
    public record Key(String kid, boolean active, String createdAt, String retiredAt) {

        static Key of(SigningKeyRow row) {
            return new Key(row.kid, row.active, row.createdAt.toString(),
                    row.retiredAt == null ? null : row.retiredAt.toString());
        }
    }

    @Inject
    SigningKeys keys;

    @GET
    public List<Key> list() {
        return keys.all().stream().map(Key::of).toList();
    }

    @POST
    @Path("/rotate")
    public Key rotate() {
        String kid = keys.rotate();
        return keys.all().stream().filter(row -> row.kid.equals(kid)).map(Key::of).findFirst().orElseThrow();
    }

    @POST
    @Path("/{kid}/retire")
    public Key retire(@PathParam("kid") String kid) {
        return Key.of(keys.retire(kid));
    }
}
