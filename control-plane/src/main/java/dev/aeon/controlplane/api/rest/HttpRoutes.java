package dev.aeon.controlplane.api.rest;

import com.google.protobuf.Message;
import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.common.proto.HttpBinding;
import io.temporal.api.cloud.cloudservice.v1.CloudServiceGrpc;
import io.temporal.api.cloud.cloudservice.v1.ServiceProto;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Cloud Ops API's HTTP mapping, read from the {@code google.api.http} options of Temporal's own
 * {@code CloudService} descriptor, so the REST paths cannot drift from the protos; and the schedule RPCs of
 * {@code WorkflowService} at their own mapping's paths under {@code /cloud}.
 */
public final class HttpRoutes {

    /** One RPC's HTTP binding: {@code GET /cloud/namespaces/{namespace}} and so on. */
    public record Route(String rpc, String httpMethod, String template, List<String> segments, boolean hasBody,
                        Message prototype, Message responsePrototype) {

        /** Path variables by field name, or null when the path does not match. */
        Map<String, String> match(List<String> path) {
            return HttpBinding.match(segments, path);
        }
    }

    public record Match(Route route, Map<String, String> variables) {
    }

    /** The RPCs of Temporal's WorkflowService the REST face serves: its schedule RPCs. */
    private static final Set<String> SCHEDULE_RPCS = Set.of("CreateSchedule", "DescribeSchedule", "UpdateSchedule",
            "PatchSchedule", "DeleteSchedule", "ListSchedules", "CountSchedules", "ListScheduleMatchingTimes");
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
        List<Route> routes = new ArrayList<>();
        for (HttpBinding binding : HttpBinding.of(ServiceProto.getDescriptor().getServices().get(0),
                CloudServiceGrpc.getServiceDescriptor())) {
            routes.add(route(binding, binding.template()));
        }
        // A namespace's schedules, at Temporal's own HTTP paths for them under /cloud (the design card puts
        // schedules under the control plane); the requests are WorkflowService's, acted on by the data plane.
        for (HttpBinding binding : HttpBinding.of(io.temporal.api.workflowservice.v1.ServiceProto.getDescriptor()
                .getServices().get(0), WorkflowServiceGrpc.getServiceDescriptor())) {
            if (SCHEDULE_RPCS.contains(binding.rpc())) {
                routes.add(route(binding, "/cloud" + binding.template()));
            }
        }
        return List.copyOf(routes);
    }

    private static Route route(HttpBinding binding, String template) {
        return new Route(binding.rpc(), binding.httpMethod().toUpperCase(Locale.ROOT), template, split(template),
                binding.hasBody(), binding.requestPrototype(), binding.responsePrototype());
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
