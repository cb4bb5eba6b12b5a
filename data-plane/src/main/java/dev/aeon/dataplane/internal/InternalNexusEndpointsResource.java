package dev.aeon.dataplane.internal;

import dev.aeon.dataplane.nexus.NexusEndpoint;
import dev.aeon.dataplane.nexus.NexusEndpointSpec;
import dev.aeon.dataplane.nexus.NexusEndpoints;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * How the control plane provisions Nexus endpoints on this cell (docs/internal-api.md), beside namespaces.
 * Idempotent: the control plane retries these calls until they succeed.
 */
@Path("/internal/v1/nexus-endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class InternalNexusEndpointsResource {

    private final NexusEndpoints endpoints;

    public InternalNexusEndpointsResource(NexusEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response provision(@PathParam("id") String id, NexusEndpointSpec spec) {
        try {
            return Response.ok(view(endpoints.provision(id, spec))).build();
        } catch (IllegalArgumentException invalid) {
            return InternalErrors.response(Response.Status.BAD_REQUEST, invalid.getMessage());
        } catch (IllegalStateException conflict) {
            return InternalErrors.response(Response.Status.CONFLICT, conflict.getMessage());
        }
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return endpoints.byId(id).map(endpoint -> Response.ok(view(endpoint)).build())
                .orElseGet(() -> InternalErrors.response(Response.Status.NOT_FOUND,
                        "Nexus endpoint " + id + " is not provisioned here"));
    }

    @GET
    public Map<String, Object> list() {
        List<Map<String, Object>> all = endpoints.all().stream().map(InternalNexusEndpointsResource::view).toList();
        return Map.of("endpoints", all);
    }

    @DELETE
    @Path("{id}")
    public Map<String, Object> remove(@PathParam("id") String id) {
        return Map.of("id", id, "deleted", endpoints.remove(id));
    }

    private static Map<String, Object> view(NexusEndpoint endpoint) {
        return Map.of("id", endpoint.id(), "version", endpoint.version(), "spec", endpoint.spec(),
                "createdTime", endpoint.createdTime().toString(),
                "lastModifiedTime", endpoint.lastModifiedTime().toString(), "urlPrefix", endpoint.urlPrefix());
    }
}
