package dev.aeon.controlplane.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The OpenAPI 3 document of the REST face, derived from the same descriptors as the routes: each implemented RPC's
 * path, its path and query parameters, and the proto3 JSON schema of its request and response messages.
 */
public final class OpenApiDocument {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OpenApiDocument() {
    }

    public static String render(Predicate<Class<?>> implemented) {
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "Aeon Cloud Ops API").put("version", "v1").put("description",
                "Temporal Cloud's Cloud Ops API (CloudService) as served by Aeon's control plane: the same operations"
                        + " over gRPC on this port. Bodies are proto3 JSON of Temporal's io.temporal.api.cloud messages."
                        + " A namespace's schedules are managed at /cloud/namespaces/{namespace}/schedules...: the"
                        + " paths of Temporal's own HTTP API for them, bodies in proto3 JSON of its"
                        + " temporal.api.workflowservice.v1 messages, acted on by the data plane holding the namespace."
                        + " Authenticate with Authorization: Bearer <api key>.");
        doc.putObject("components").putObject("securitySchemes").putObject("apiKey")
                .put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT");
        doc.putArray("security").addObject().putArray("apiKey");
        ObjectNode schemas = ((ObjectNode) doc.get("components")).putObject("schemas");
        schemas.putObject("Error").put("type", "object").putObject("properties")
                .<ObjectNode>set("code", JSON.objectNode().put("type", "string"))
                .<ObjectNode>set("message", JSON.objectNode().put("type", "string"))
                .set("field", JSON.objectNode().put("type", "string"));
        Set<String> done = new HashSet<>();
        ObjectNode paths = doc.putObject("paths");
        for (HttpRoutes.Route route : HttpRoutes.all()) {
            if (!implemented.test(route.prototype().getClass())) {
                continue;
            }
            ObjectNode path = paths.has(route.template()) ? (ObjectNode) paths.get(route.template())
                    : paths.putObject(route.template());
            ObjectNode operation = path.putObject(route.httpMethod().toLowerCase(java.util.Locale.ROOT));
            operation.put("operationId", route.rpc());
            Descriptor request = route.prototype().getDescriptorForType();
            ArrayNode parameters = operation.putArray("parameters");
            Set<String> pathFields = new HashSet<>();
            for (String segment : route.segments()) {
                if (segment.startsWith("{")) {
                    String field = segment.substring(1, segment.length() - 1);
                    pathFields.add(field);
                    parameters.addObject().put("name", field).put("in", "path").put("required", true)
                            .putObject("schema").put("type", "string");
                }
            }
            if (route.hasBody()) {
                operation.putObject("requestBody").put("required", true).putObject("content")
                        .putObject("application/json").putObject("schema")
                        .put("$ref", ref(request, schemas, done));
            } else {
                for (FieldDescriptor field : request.getFields()) {
                    if (!pathFields.contains(field.getName()) && !field.isRepeated()
                            && (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                                || RequestFields.isTimestamp(field))
                            && !field.getOptions().getDeprecated()) {
                        parameters.addObject().put("name", field.getName()).put("in", "query")
                                .set("schema", schema(field, schemas, done));
                    }
                }
            }
            ObjectNode responses = operation.putObject("responses");
            responses.putObject("200").put("description", "OK").putObject("content").putObject("application/json")
                    .putObject("schema").put("$ref", ref(route.responsePrototype().getDescriptorForType(), schemas, done));
            responses.putObject("default").put("description", "INVALID_ARGUMENT 400, FAILED_PRECONDITION 400,"
                            + " UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404, ALREADY_EXISTS 409,"
                            + " UNAVAILABLE 503 (the data plane did not answer; retry)")
                    .putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/Error");
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ref(Descriptor message, ObjectNode schemas, Set<String> done) {
        String name = message.getFullName();
        if (done.add(name)) {
            ObjectNode schema = schemas.putObject(name);
            schema.put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            for (FieldDescriptor field : message.getFields()) {
                ObjectNode property = schema(field, schemas, done);
                if (field.getOptions().getDeprecated()) {
                    property.put("deprecated", true);
                }
                properties.set(field.getJsonName(), property);
            }
        }
        return "#/components/schemas/" + name;
    }

    private static ObjectNode schema(FieldDescriptor field, ObjectNode schemas, Set<String> done) {
        if (field.isMapField()) {
            FieldDescriptor value = field.getMessageType().findFieldByName("value");
            ObjectNode map = JSON.objectNode().put("type", "object");
            map.set("additionalProperties", single(value, schemas, done));
            return map;
        }
        if (field.isRepeated()) {
            ObjectNode array = JSON.objectNode().put("type", "array");
            array.set("items", single(field, schemas, done));
            return array;
        }
        return single(field, schemas, done);
    }

    private static ObjectNode single(FieldDescriptor field, ObjectNode schemas, Set<String> done) {
        ObjectNode schema = JSON.objectNode();
        switch (field.getJavaType()) {
            case STRING -> schema.put("type", "string");
            case BYTE_STRING -> schema.put("type", "string").put("format", "byte");
            case BOOLEAN -> schema.put("type", "boolean");
            case INT -> schema.put("type", "integer").put("format", "int32");
            case LONG -> schema.put("type", "string").put("format", "int64");
            case FLOAT, DOUBLE -> schema.put("type", "number");
            case ENUM -> {
                schema.put("type", "string");
                ArrayNode values = schema.putArray("enum");
                field.getEnumType().getValues().stream().map(EnumValueDescriptor::getName).forEach(values::add);
            }
            case MESSAGE -> {
                String type = field.getMessageType().getFullName();
                if (List.of("google.protobuf.Timestamp").contains(type)) {
                    schema.put("type", "string").put("format", "date-time");
                } else if (type.equals("google.protobuf.Duration")) {
                    schema.put("type", "string").put("example", "1s");
                } else if (type.startsWith("google.protobuf.")) {
                    schema.put("type", "object");
                } else {
                    schema.put("$ref", ref(field.getMessageType(), schemas, done));
                }
            }
        }
        return schema;
    }
}
