package dev.aeon.controlplane.api.rest;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.aeon.controlplane.error.CloudApiException;
import io.grpc.MethodDescriptor;
import io.temporal.api.cloud.cloudservice.v1.CloudServiceGrpc;
import io.temporal.api.cloud.cloudservice.v1.ServiceProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Cloud Ops API's HTTP mapping, read from the {@code google.api.http} options of Temporal's own
 * {@code CloudService} descriptor, so the REST paths cannot drift from the protos.
 */
public final class HttpRoutes {

    /** One RPC's HTTP binding: {@code GET /cloud/namespaces/{namespace}} and so on. */
    public record Route(String rpc, String httpMethod, String template, List<String> segments, boolean hasBody,
                        Message prototype, Message responsePrototype) {

        /** Path variables by field name, or null when the path does not match. */
        Map<String, String> match(List<String> path) {
            if (path.size() != segments.size()) {
                return null;
            }
            Map<String, String> variables = new HashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                if (segment.startsWith("{")) {
                    variables.put(segment.substring(1, segment.length() - 1), path.get(i));
                } else if (!segment.equals(path.get(i))) {
                    return null;
                }
            }
            return variables;
        }
    }

    public record Match(Route route, Map<String, String> variables) {
    }

    private static final List<Route> ROUTES = load();

    private HttpRoutes() {
    }

    public static List<Route> all() {
        return ROUTES;
    }

    /** The route for a method and path; NOT_FOUND naming both when there is none. */
    public static Match match(String httpMethod, String path) {
        List<String> parts = split(path);
        boolean pathKnown = false;
        for (Route route : ROUTES) {
            Map<String, String> variables = route.match(parts);
            if (variables != null) {
                pathKnown = true;
                if (route.httpMethod().equals(httpMethod)) {
                    return new Match(route, variables);
                }
            }
        }
        throw CloudApiException.notFound("route", httpMethod + " " + path
                + (pathKnown ? " (the path exists with another method)" : ""));
    }

    private static List<Route> load() {
        Map<String, MethodDescriptor<?, ?>> grpcMethods = new HashMap<>();
        for (MethodDescriptor<?, ?> m : CloudServiceGrpc.getServiceDescriptor().getMethods()
                .stream().map(m -> (MethodDescriptor<?, ?>) m).toList()) {
            grpcMethods.put(m.getBareMethodName(), m);
        }
        List<Route> routes = new ArrayList<>();
        for (Descriptors.MethodDescriptor method : ServiceProto.getDescriptor().getServices().get(0).getMethods()) {
            if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                continue;
            }
            HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
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
            MethodDescriptor<?, ?> grpc = grpcMethods.get(method.getName());
            Message request = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) grpc.getRequestMarshaller())
                    .getMessagePrototype();
            Message response = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) grpc.getResponseMarshaller())
                    .getMessagePrototype();
            routes.add(new Route(method.getName(), verb.toUpperCase(Locale.ROOT), template, split(template),
                    !rule.getBody().isEmpty(), request, response));
        }
        return List.copyOf(routes);
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }
}
