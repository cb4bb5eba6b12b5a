package dev.aeon.controlplane.api.rest;

import com.google.protobuf.Message;
import dev.aeon.controlplane.api.CloudOperations;
import dev.aeon.controlplane.proto.ProtoJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;

/**
 * The Cloud Ops API over HTTP: {@code /cloud/...} at the paths of the protos' {@code google.api.http} options, bodies
 * in proto3 JSON of the same messages. Path variables and query parameters set request fields; the call then takes
 * the same path as gRPC ({@link CloudOperations}). Any {@code temporal-cloud-api-version} header is accepted.
 */
@Path("/cloud")
public class CloudRestResource {

    @Inject
    CloudOperations operations;

    @GET
    @Path("{path: .+}")
    public Response get(@PathParam("path") String path, @Context UriInfo uri,
                        @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return call("GET", path, uri, null, authorization);
    }

    @POST
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    public Response post(@PathParam("path") String path, @Context UriInfo uri,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return call("POST", path, uri, body, authorization);
    }

    @DELETE
    @Path("{path: .+}")
    public Response delete(@PathParam("path") String path, @Context UriInfo uri,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return call("DELETE", path, uri, null, authorization);
    }

    private Response call(String method, String path, UriInfo uri, String body, String authorization) {
        HttpRoutes.Match match = HttpRoutes.match(method, "/cloud/" + path);
        Message.Builder request = match.route().prototype().newBuilderForType();
        if (match.route().hasBody() && body != null && !body.isBlank()) {
            ProtoJson.parseRequest(body, request);
        }
        for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
            for (String value : parameter.getValue()) {
                RequestFields.set(request, parameter.getKey(), value, "query parameter");
            }
        }
        match.variables().forEach((field, value) -> RequestFields.set(request, field, value, "path variable"));
        Message response = operations.invoke(authorization, request.build());
        return Response.ok(ProtoJson.print(response), MediaType.APPLICATION_JSON).build();
    }
}
