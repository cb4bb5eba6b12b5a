package dev.aeon.controlplane.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.common.proto.HttpBinding;
import dev.aeon.controlplane.proto.ProtoJson;
import io.temporal.api.workflowservice.v1.ServiceProto;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Temporal's schedule RPCs, sent to the data plane's internal API: the path of the RPC's own HTTP mapping under
 * {@code /internal/v1}, the request as proto3 JSON (a body, or query parameters for a GET or DELETE), authenticated
 * with the internal token (docs/internal-api.md). The data plane's refusal comes back as the same gRPC code.
 */
@ApplicationScoped
public class DataPlaneSchedules {

    private static final Logger LOG = Logger.getLogger(DataPlaneSchedules.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();
    /** Each schedule RPC's binding, by request type. */
    private static final Map<Class<?>, HttpBinding> BINDINGS = bindings();

    @Inject
    DataPlaneHttp http;

    /** Runs {@code request} on the data plane; its answer, or its refusal as a {@link CloudApiException}. */
    public Message call(Message request) {
        HttpBinding binding = BINDINGS.get(request.getClass());
        if (binding == null) {
            throw new IllegalArgumentException(request.getDescriptorForType().getName() + " is no schedule RPC");
        }
        StringBuilder path = new StringBuilder("/internal/v1");
        Set<String> pathFields = new HashSet<>();
        for (String segment : binding.segments()) {
            String value = segment;
            if (segment.startsWith("{")) {
                String field = segment.substring(1, segment.length() - 1);
                pathFields.add(field);
                value = (String) request.getField(request.getDescriptorForType().findFieldByName(field));
                if (value.equals(".") || value.equals("..")) {
                    // a URL's path would lose it: a server resolves dot segments before it routes
                    throw CloudApiException.invalid(field, "must not be \"" + value + "\"");
                }
            }
            path.append('/').append(encode(value));
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (binding.hasBody()) {
            body = HttpRequest.BodyPublishers.ofString(ProtoJson.print(request));
        } else {
            path.append(query(request, pathFields));
        }
        return answer(send(http.request(path.toString()).method(binding.httpMethod(), body)
                .header("Content-Type", "application/json").build()), binding);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request);
        } catch (IOException e) {
            LOG.warn("data plane at " + http.baseUrl() + " unreachable: " + e);
            throw new CloudApiException(CloudApiException.Code.UNAVAILABLE, null,
                    "the data plane is unavailable; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudApiException(CloudApiException.Code.UNAVAILABLE, null, "interrupted");
        }
    }

    private static Message answer(HttpResponse<String> response, HttpBinding binding) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            Message.Builder answer = binding.responsePrototype().newBuilderForType();
            try {
                LENIENT.merge(response.body(), answer);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("the data plane's answer to " + binding.rpc() + " is unreadable", e);
            }
            return answer.build();
        }
        throw refusal(status, response.body(), binding);
    }

    /**
     * The data plane's refusal, with its gRPC code and message (Temporal's words) when it is one this API answers;
     * an outage or a refusal of the control plane itself (a token mismatch) is the operator's, not the caller's.
     */
    static CloudApiException refusal(int status, String body, HttpBinding binding) {
        JsonNode error;
        try {
            error = JSON.readTree(body == null ? "" : body);
        } catch (IOException | RuntimeException unreadable) {
            error = null; // not the data plane's error shape: decided by the status alone
        }
        String code = error == null ? null : error.path("code").asText(null);
        String message = error == null ? null : error.path("message").asText(null);
        if (status / 100 == 4 && status != 401 && message != null
                && Arrays.stream(CloudApiException.Code.values()).anyMatch(c -> c.name().equals(code))) {
            return new CloudApiException(CloudApiException.Code.valueOf(code), null, message);
        }
        LOG.warn("data plane answered " + binding.rpc() + " with HTTP " + status + ": "
                + (body == null ? "" : body.substring(0, Math.min(200, body.length()))));
        if (status == 503 || status == 504 || status == 429) {
            return new CloudApiException(CloudApiException.Code.UNAVAILABLE, null,
                    "the data plane is unavailable; try again");
        }
        return new CloudApiException(CloudApiException.Code.INTERNAL, null, "internal error");
    }

    /** The request's set fields but the path's, as grpc-gateway reads them from a URL. */
    private static String query(Message request, Set<String> pathFields) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (Map.Entry<FieldDescriptor, Object> field : request.getAllFields().entrySet()) {
            if (pathFields.contains(field.getKey().getName())) {
                continue;
            }
            Object value = field.getValue();
            String text;
            if (value instanceof Timestamp time) {
                text = Timestamps.toString(time);
            } else if (value instanceof ByteString bytes) {
                text = Base64.getEncoder().encodeToString(bytes.toByteArray());
            } else if (value instanceof com.google.protobuf.Descriptors.EnumValueDescriptor enumValue) {
                text = enumValue.getName();
            } else if (value instanceof Message || field.getKey().isRepeated()) {
                throw new IllegalArgumentException(field.getKey().getFullName() + " cannot be sent in a URL");
            } else {
                text = String.valueOf(value);
            }
            query.add(encode(field.getKey().getName()) + "=" + encode(text));
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map<Class<?>, HttpBinding> bindings() {
        Map<Class<?>, HttpBinding> bindings = new HashMap<>();
        for (HttpBinding binding : HttpBinding.of(ServiceProto.getDescriptor().getServices().get(0),
                WorkflowServiceGrpc.getServiceDescriptor())) {
            if (binding.rpc().contains("Schedule")) {
                bindings.put(binding.requestPrototype().getClass(), binding);
            }
        }
        return Map.copyOf(bindings);
    }
}
