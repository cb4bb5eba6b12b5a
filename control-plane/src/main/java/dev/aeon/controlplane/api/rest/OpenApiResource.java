package dev.aeon.controlplane.api.rest;

import dev.aeon.controlplane.api.CloudOperations;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /openapi.json}: the REST face's OpenAPI document (a copy is kept in docs/control-plane-openapi.json). */
@Path("/openapi.json")
public class OpenApiResource {

    @Inject
    CloudOperations operations;

    private volatile String document;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String document() {
        if (document == null) {
            document = OpenApiDocument.render(operations::implemented);
        }
        return document;
    }
}
