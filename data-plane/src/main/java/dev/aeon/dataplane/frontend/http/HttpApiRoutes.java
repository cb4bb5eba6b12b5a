package dev.aeon.dataplane.frontend.http;

import com.google.protobuf.Message;
import dev.aeon.common.proto.HttpBinding;
import io.temporal.api.workflowservice.v1.ServiceProto;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Temporal's HTTP API for {@code WorkflowService}: the {@code /api/v1/...} bindings its protos declare
 * ({@code google.api.http}, read from the descriptors, so the paths cannot drift from Temporal's), e.g.
 * {@code GET /api/v1/namespaces/{namespace}/workflows} for ListWorkflowExecutions.
 */
final class HttpApiRoutes {

    static final String PREFIX = "/api/v1/";

    /** One RPC at one path; {@code segments} are the template's, variables in braces (a field path, dotted). */
    record Route(String rpc, String httpMethod, List<String> segments, boolean hasBody, Message prototype) {

        /** Path variables by field path, or null when the path does not match. */
        Map<String, String> match(List<String> path) {
            return HttpBinding.match(segments, path);
        }

        long literals() {
            return segments.stream().filter(segment -> !segment.startsWith("{")).count();
        }
    }

    record Match(Route route, Map<String, String> variables) {
    }

    private static final List<Route> ROUTES = load();

    private HttpApiRoutes() {
    }

    /**
     * The route for a method and decoded path segments: of the routes whose template matches, the one with the
     * most literal segments; empty when none matches. {@code methodAllowed} is false when only other methods do.
     */
    static Optional<Match> match(String httpMethod, List<String> path) {
        return ROUTES.stream()
                .filter(route -> route.httpMethod().equals(httpMethod))
                .map(route -> new Match(route, route.match(path)))
                .filter(match -> match.variables() != null)
                .max(Comparator.comparingLong(match -> match.route().literals()));
    }

    static boolean pathKnown(List<String> path) {
        return ROUTES.stream().anyMatch(route -> route.match(path) != null);
    }

    static List<Route> all() {
        return ROUTES;
    }

    private static List<Route> load() {
        List<Route> routes = new ArrayList<>();
        for (HttpBinding binding : HttpBinding.withAdditional(ServiceProto.getDescriptor().getServices().get(0),
                WorkflowServiceGrpc.getServiceDescriptor())) {
            if (binding.template().startsWith(PREFIX)) {
                routes.add(new Route(binding.rpc(), binding.httpMethod(), binding.segments(), binding.hasBody(),
                        binding.requestPrototype()));
            }
        }
        return List.copyOf(routes);
    }
}
