package dev.aeon.codec.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aeon.codec.CodecException;
import dev.aeon.codec.master.MasterKeyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error as {@code {"error": "...", "cause": "...", "payloadIndex": n}}; never a stack trace or a secret. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(String error, String cause, Integer payloadIndex) {
    }

    @ServerExceptionMapper
    public Response codec(CodecException e) {
        return respond(e.status(), new ErrorBody(e.getMessage(), e.errorCause().code(), e.payloadIndex()));
    }

    @ServerExceptionMapper
    public Response masterKey(MasterKeyException e) {
        LOG.errorf("a data key cannot be unwrapped: %s", e.getMessage());
        return respond(500, new ErrorBody("a data key of this namespace cannot be unwrapped with the server's master"
                + " key; the operator has the details in the codec server's log", "master-key", null));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String cause = known == null ? "http-" + status
                : known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return respond(status, new ErrorBody(e.getMessage(), cause, null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return respond(500, new ErrorBody("internal error", "internal", null));
    }

    private static Response respond(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
