package dev.aeon.controlplane.security;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /.well-known/jwks.json}: public, every signing key that may still verify a live API key. */
@Path("/.well-known/jwks.json")
public class JwksResource {

    @Inject
    SigningKeys keys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String jwks() {
        return keys.jwksJson();
    }
}
