package dev.aeon.codec.http;

import dev.aeon.auth.NamespacePermission;
import dev.aeon.codec.access.CurrentNamespaceCall;
import dev.aeon.codec.access.RequiresNamespacePermission;
import dev.aeon.codec.payload.PayloadCodecService;
import dev.aeon.codec.payload.PayloadsJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Temporal's codec-server protocol: {@code POST .../encode} and {@code POST .../decode}, matched on the last path
 * segment so the server can sit under any prefix ({@code /decode}, {@code /orders/decode}, {@code /codec/decode}).
 * Bodies are {@code temporal.api.common.v1.Payloads} in proto3 JSON, read raw so malformed JSON gets the codec's own
 * error. Runs on worker threads: decrypting a page of payloads is CPU work.
 */
@Path("/")
public class CodecResource {

    @Inject
    PayloadCodecService codec;

    @Inject
    CurrentNamespaceCall call;

    @POST
    @Path("{prefix: (?:.*/)?}encode")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresNamespacePermission(NamespacePermission.WRITE)
    public byte[] encode(byte[] body) {
        return PayloadsJson.print(codec.encode(call.namespace(), PayloadsJson.parse(body)));
    }

    @POST
    @Path("{prefix: (?:.*/)?}decode")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresNamespacePermission(NamespacePermission.READ)
    public byte[] decode(byte[] body) {
        return PayloadsJson.print(codec.decode(call.namespace(), PayloadsJson.parse(body)));
    }
}
