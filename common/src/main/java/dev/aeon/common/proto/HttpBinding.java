package dev.aeon.common.proto;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One RPC's HTTP binding as its proto declares it ({@code google.api.http}): {@code GET /namespaces/{namespace}}
 * and so on, with the RPC's request and response prototypes. Read from Temporal's own descriptors, so neither the
 * REST face nor the calls to the data plane can drift from the protos.
 */
public record HttpBinding(String rpc, String httpMethod, String template, boolean hasBody, Message requestPrototype,
                          Message responsePrototype) {

    /** The bindings of every RPC of {@code service} that declares one (the primary one, not additional ones). */
    public static List<HttpBinding> of(Descriptors.ServiceDescriptor service, ServiceDescriptor grpc) {
        return read(service, grpc, false);
    }

    /** Every binding of every RPC of {@code service}: primary and additional ({@code /api/v1/...} in Temporal's). */
    public static List<HttpBinding> withAdditional(Descriptors.ServiceDescriptor service, ServiceDescriptor grpc) {
        return read(service, grpc, true);
    }

    private static List<HttpBinding> read(Descriptors.ServiceDescriptor service, ServiceDescriptor grpc,
                                          boolean additional) {
        Map<String, MethodDescriptor<?, ?>> grpcMethods = new HashMap<>();
        for (MethodDescriptor<?, ?> method : grpc.getMethods()) {
            grpcMethods.put(method.getBareMethodName(), method);
        }
        List<HttpBinding> bindings = new ArrayList<>();
        for (Descriptors.MethodDescriptor method : service.getMethods()) {
            if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                continue;
            }
            HttpRule primary = method.getOptions().getExtension(AnnotationsProto.http);
            List<HttpRule> rules = new ArrayList<>(List.of(primary));
            if (additional) {
                rules.addAll(primary.getAdditionalBindingsList());
            }
            MethodDescriptor<?, ?> rpc = grpcMethods.get(method.getName());
            for (HttpRule rule : rules) {
                String verb;
                String template;
                switch (rule.getPatternCase()) {
                    case GET -> { verb = "GET"; template = rule.getGet(); }
                    case POST -> { verb = "POST"; template = rule.getPost(); }
                    case DELETE -> { verb = "DELETE"; template = rule.getDelete(); }
                    case PUT -> { verb = "PUT"; template = rule.getPut(); }
                    case PATCH -> { verb = "PATCH"; template = rule.getPatch(); }
                    default -> { continue; }
                }
                bindings.add(new HttpBinding(method.getName(), verb, template, !rule.getBody().isEmpty(),
                        prototype(rpc.getRequestMarshaller()), prototype(rpc.getResponseMarshaller())));
            }
        }
        return List.copyOf(bindings);
    }

    /** The template's path segments ({@code namespaces}, {@code {namespace}}). */
    public List<String> segments() {
        List<String> parts = new ArrayList<>();
        for (String part : template.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    /**
     * The path variables (by field path) of {@code path} against a template's {@code segments}, or null when the
     * path does not match.
     */
    public static Map<String, String> match(List<String> segments, List<String> path) {
        if (path.size() != segments.size()) {
            return null;
        }
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{") && segment.endsWith("}")) {
                variables.put(segment.substring(1, segment.length() - 1), path.get(i));
            } else if (!segment.equals(path.get(i))) {
                return null;
            }
        }
        return variables;
    }

    private static Message prototype(MethodDescriptor.Marshaller<?> marshaller) {
        return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) marshaller).getMessagePrototype();
    }
}
