package dev.aeon.dataplane.frontend.http;

import dev.aeon.common.grpc.HttpStatuses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Temporal's HTTP API for {@code WorkflowService} ({@code /api/v1/...}, proto3 JSON), as Temporal's frontend
 * serves it on its HTTP port: what the web console and curl use, since a browser cannot speak gRPC. Each call is
 * translated into the gRPC call its path names (path variables, query parameters and the JSON body fill the
 * request message, as {@code google.api.http} prescribes) and made on {@link InProcessFrontend} with the caller's
 * {@code Authorization: Bearer <API key>}: authentication, permissions and answers are the gRPC API's. Errors are
 * {@code google.rpc.Status} as JSON with the HTTP status grpc-gateway gives each gRPC code.
 *
 * <p>Not like Temporal: payloads are plain proto3 JSON (base64 data), not Temporal's "shorthand" payload form.
 */
@Path("/api/v1")
public class WorkflowHttpApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(io.temporal.api.errordetails.v1.MessageProto.getDescriptor().getMessageTypes()).build());
    private static final Map<String, MethodDescriptor<Message, Message>> METHODS = methods();

    private final InProcessFrontend frontend;

    public WorkflowHttpApi(InProcessFrontend frontend) {
        this.frontend = frontend;
    }

    @GET
    @Path("{path: .*}")
    public Response get(@Context UriInfo uri, @Context HttpHeaders headers) {
        return call("GET", uri, headers, null);
    }

    @POST
    @Path("{path: .*}")
    public Response post(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        return call("POST", uri, headers, body);
    }

    @PUT
    @Path("{path: .*}")
    public Response put(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        return call("PUT", uri, headers, body);
    }

    @PATCH
    @Path("{path: .*}")
    public Response patch(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        return call("PATCH", uri, headers, body);
    }

    @DELETE
    @Path("{path: .*}")
    public Response delete(@Context UriInfo uri, @Context HttpHeaders headers) {
        return call("DELETE", uri, headers, null);
    }

    private Response call(String method, UriInfo uri, HttpHeaders headers, String body) {
        List<String> path = new ArrayList<>();
        uri.getPathSegments().forEach(segment -> {
            if (!segment.getPath().isEmpty()) {
                path.add(segment.getPath());
            }
        });
        Optional<HttpApiRoutes.Match> match = HttpApiRoutes.match(method, path);
        if (match.isEmpty()) {
            return HttpApiRoutes.pathKnown(path)
                    ? error(Status.Code.UNIMPLEMENTED, 405, "Method Not Allowed: " + method + " /" + String.join("/", path))
                    : error(Status.Code.NOT_FOUND, 404, "Not Found: " + method + " /" + String.join("/", path));
        }
        HttpApiRoutes.Route route = match.get().route();
        Message request;
        try {
            request = request(route, match.get().variables(), uri.getQueryParameters(), body);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return error(Status.Code.INVALID_ARGUMENT, 400, "invalid " + route.prototype().getDescriptorForType()
                    .getName() + ": " + e.getMessage());
        }
        Metadata metadata = new Metadata();
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            metadata.put(AUTHORIZATION, authorization);
        }
        try {
            Message response = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(frontend.channel(),
                    MetadataUtils.newAttachHeadersInterceptor(metadata)), METHODS.get(route.rpc()), CallOptions.DEFAULT,
                    request);
            return Response.ok(PRINTER.print(response), MediaType.APPLICATION_JSON).build();
        } catch (StatusRuntimeException e) {
            return error(e);
        } catch (InvalidProtocolBufferException e) {
            return error(Status.Code.INTERNAL, 500, "answer not printable as JSON: " + e.getMessage());
        }
    }

    /**
     * The request message: the JSON body (for a binding with one), then each path variable and query parameter set
     * at its field path ({@code execution.workflow_id}), as proto3 JSON reads them (numbers as strings are numbers).
     */
    static Message request(HttpApiRoutes.Route route, Map<String, String> variables, Map<String, List<String>> query,
                           String body) throws InvalidProtocolBufferException {
        ObjectNode json;
        try {
            JsonNode parsed = route.hasBody() && body != null && !body.isBlank() ? JSON.readTree(body) : JSON.createObjectNode();
            if (!(parsed instanceof ObjectNode object)) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            json = object;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        Descriptors.Descriptor type = route.prototype().getDescriptorForType();
        variables.forEach((fieldPath, value) -> set(json, type, fieldPath, List.of(value)));
        query.forEach((fieldPath, values) -> set(json, type, fieldPath, values));
        Message.Builder builder = route.prototype().newBuilderForType();
        JsonFormat.parser().merge(json.toString(), builder);
        return builder.build();
    }

    private static void set(ObjectNode json, Descriptors.Descriptor type, String fieldPath, List<String> values) {
        String[] names = fieldPath.split("\\.");
        ObjectNode node = json;
        Descriptors.Descriptor current = type;
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            Descriptors.FieldDescriptor field = current.findFieldByName(name) != null ? current.findFieldByName(name)
                    : current.getFields().stream().filter(f -> f.getJsonName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no field " + fieldPath + " in " + type.getName()));
            // The body may name the field either way (workflow_execution or workflowExecution, as Temporal's UI
            // does): merge into whichever it used, or the parser would see the field twice.
            String key = node.has(field.getJsonName()) ? field.getJsonName() : field.getName();
            if (i < names.length - 1) {
                if (field.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE || field.isRepeated()) {
                    throw new IllegalArgumentException(fieldPath + " names no field of " + type.getName());
                }
                JsonNode child = node.get(key);
                node = child instanceof ObjectNode object ? object : node.putObject(key);
                current = field.getMessageType();
                continue;
            }
            if (field.isRepeated()) {
                ArrayNode array = node.putArray(key);
                values.forEach(value -> array.add(scalar(field, value)));
            } else {
                node.set(key, scalar(field, values.get(values.size() - 1)));
            }
        }
    }

    private static JsonNode scalar(Descriptors.FieldDescriptor field, String value) {
        if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.BOOLEAN) {
            return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
        }
        return JSON.getNodeFactory().textNode(value); // proto3 JSON reads numbers, enums, times, bytes from strings
    }

    private static Response error(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            status = com.google.rpc.Status.newBuilder().setCode(e.getStatus().getCode().value())
                    .setMessage(e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription()).build();
        }
        String json;
        try {
            json = PRINTER.print(status);
        } catch (InvalidProtocolBufferException unprintableDetail) {
            json = statusJson(status.getCode(), status.getMessage());
        }
        return Response.status(HttpStatuses.of(e.getStatus().getCode())).type(MediaType.APPLICATION_JSON).entity(json).build();
    }

    private static Response error(Status.Code code, int httpStatus, String message) {
        return Response.status(httpStatus).type(MediaType.APPLICATION_JSON).entity(statusJson(code.value(), message))
                .build();
    }

    private static String statusJson(int code, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, MethodDescriptor<Message, Message>> methods() {
        Map<String, MethodDescriptor<Message, Message>> methods = new HashMap<>();
        for (MethodDescriptor<?, ?> method : WorkflowServiceGrpc.getServiceDescriptor().getMethods()) {
            methods.put(method.getBareMethodName(), (MethodDescriptor<Message, Message>) method);
        }
        return methods;
    }
}
