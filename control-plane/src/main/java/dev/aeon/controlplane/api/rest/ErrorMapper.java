package dev.aeon.controlplane.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aeon.controlplane.error.CloudApiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error as {@code {"code": "INVALID_ARGUMENT", "message": "...", "field": "..."}}; never a stack trace. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(String code, String message, String field) {
    }

    @ServerExceptionMapper
    public Response cloud(CloudApiException e) {
        return respond(e.code().http, new ErrorBody(e.code().name(), e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return respond(status, new ErrorBody(status == 404 ? "NOT_FOUND" : "HTTP_" + status, e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return respond(500, new ErrorBody("INTERNAL", "internal error", null));
    }

    static Response respond(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
