package dev.aeon.dataplane.internal;

import dev.aeon.common.grpc.HttpStatuses;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.schedule.Schedules;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.CountSchedulesRequest;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleResponse;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleResponse;
import io.temporal.api.workflowservice.v1.UpdateScheduleRequest;
import io.temporal.api.workflowservice.v1.UpdateScheduleResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Base64;
import java.util.Map;

/**
 * Temporal's schedule RPCs for the control plane, which manages a tenant's schedules on its behalf
 * (docs/internal-api.md): the paths of Temporal's own HTTP mapping of {@code WorkflowService} under
 * {@code /internal/v1}, bodies and answers in proto3 JSON of Temporal's request and response messages, and the
 * same {@link Schedules} calls as the gRPC frontend. The control plane authorized the caller; this side checks the
 * request as Temporal does and answers its errors with grpc-gateway's HTTP status and the gRPC code's name.
 */
@Path("/internal/v1/namespaces/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
public class InternalSchedulesResource {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final NamespaceRegistry namespaces;
    private final Schedules schedules;
    private final LeaderRelay leader;

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.UriInfo uri;

    public InternalSchedulesResource(NamespaceRegistry namespaces, Schedules schedules, LeaderRelay leader) {
        this.namespaces = namespaces;
        this.schedules = schedules;
        this.leader = leader;
    }

    /** Answered by the leader (see {@link LeaderRelay}): this request as it came, relayed when this node does not lead. */
    private String onLeader(String method, String body, java.util.function.Supplier<String> local) {
        java.net.URI request = uri.getRequestUri();
        String pathAndQuery = request.getRawPath() + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery());
        return leader.onLeader(method, pathAndQuery, body, local);
    }

    @POST
    @Path("schedules/{scheduleId}")
    @Consumes(MediaType.WILDCARD)
    public String create(@PathParam("namespace") String namespace, @PathParam("scheduleId") String scheduleId,
                         String body) {
        return onLeader("POST", body, () -> {
            CreateScheduleRequest request = parse(body, CreateScheduleRequest.newBuilder()
                    .setNamespace(namespace).setScheduleId(scheduleId)).build();
            return print(schedules.create(namespace(namespace), request));
        });
    }

    @GET
    @Path("schedules/{scheduleId}")
    public String describe(@PathParam("namespace") String namespace, @PathParam("scheduleId") String scheduleId) {
        return onLeader("GET", null, () ->
                print(schedules.describe(namespace(namespace), DescribeScheduleRequest.newBuilder()
                        .setNamespace(namespace).setScheduleId(scheduleId).build())));
    }

    @POST
    @Path("schedules/{scheduleId}/update")
    @Consumes(MediaType.WILDCARD)
    public String update(@PathParam("namespace") String namespace, @PathParam("scheduleId") String scheduleId,
                         String body) {
        return onLeader("POST", body, () -> {
            schedules.update(namespace(namespace), parse(body, UpdateScheduleRequest.newBuilder()
                    .setNamespace(namespace).setScheduleId(scheduleId)).build());
            return print(UpdateScheduleResponse.getDefaultInstance());
        });
    }

    @POST
    @Path("schedules/{scheduleId}/patch")
    @Consumes(MediaType.WILDCARD)
    public String patch(@PathParam("namespace") String namespace, @PathParam("scheduleId") String scheduleId,
                        String body) {
        return onLeader("POST", body, () -> {
            schedules.patch(namespace(namespace), parse(body, PatchScheduleRequest.newBuilder()
                    .setNamespace(namespace).setScheduleId(scheduleId)).build());
            return print(PatchScheduleResponse.getDefaultInstance());
        });
    }

    @DELETE
    @Path("schedules/{scheduleId}")
    public String delete(@PathParam("namespace") String namespace, @PathParam("scheduleId") String scheduleId,
                         @QueryParam("identity") String identity) {
        return onLeader("DELETE", null, () -> {
            schedules.delete(namespace(namespace), DeleteScheduleRequest.newBuilder().setNamespace(namespace)
                    .setScheduleId(scheduleId).setIdentity(identity == null ? "" : identity).build());
            return print(DeleteScheduleResponse.getDefaultInstance());
        });
    }

    @GET
    @Path("schedules/{scheduleId}/matching-times")
    public String matchingTimes(@PathParam("namespace") String namespace, @PathParam("scheduleId") String scheduleId,
                                @QueryParam("start_time") String start, @QueryParam("end_time") String end) {
        return onLeader("GET", null, () -> {
            ListScheduleMatchingTimesRequest.Builder request = ListScheduleMatchingTimesRequest.newBuilder()
                    .setNamespace(namespace).setScheduleId(scheduleId);
            if (start != null) {
                request.setStartTime(time("start_time", start));
            }
            if (end != null) {
                request.setEndTime(time("end_time", end));
            }
            return print(schedules.matchingTimes(namespace(namespace), request.build()));
        });
    }

    @GET
    @Path("schedules")
    public String list(@PathParam("namespace") String namespace, @QueryParam("query") String query,
                       @QueryParam("maximum_page_size") String pageSize,
                       @QueryParam("next_page_token") String nextPageToken) {
        return onLeader("GET", null, () -> {
            ListSchedulesRequest.Builder request = ListSchedulesRequest.newBuilder().setNamespace(namespace)
                    .setQuery(query == null ? "" : query);
            if (pageSize != null) {
                try {
                    request.setMaximumPageSize(Integer.parseInt(pageSize));
                } catch (NumberFormatException e) {
                    throw invalid("maximum_page_size: must be an int32, was \"" + pageSize + "\"");
                }
            }
            if (nextPageToken != null) {
                request.setNextPageToken(bytes("next_page_token", nextPageToken));
            }
            return print(schedules.list(namespace(namespace), request.build()));
        });
    }

    @GET
    @Path("schedule-count")
    public String count(@PathParam("namespace") String namespace, @QueryParam("query") String query) {
        return print(schedules.count(namespace(namespace), CountSchedulesRequest.newBuilder().setNamespace(namespace)
                .setQuery(query == null ? "" : query).build()));
    }

    /** A refusal as grpc-gateway maps it to HTTP, naming the gRPC code the control plane answers its caller with. */
    @ServerExceptionMapper
    public Response refused(StatusRuntimeException e) {
        Status status = e.getStatus();
        String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return Response.status(HttpStatuses.of(status.getCode())).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("code", status.getCode().name(), "message", message)).build();
    }

    private Namespace namespace(String name) {
        return namespaces.namespace(name);
    }

    /** The body over the path's fields: the path names the namespace and the schedule, as in Temporal's mapping. */
    private static <B extends Message.Builder> B parse(String body, B withPathFields) {
        if (body == null || body.isBlank()) {
            return withPathFields;
        }
        // The body is read into an empty message first (JSON merging refuses a field set already, and the control
        // plane's body repeats the namespace and id); then the path's fields win.
        Message path = withPathFields.build();
        withPathFields.clear();
        try {
            PARSER.merge(body, withPathFields);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw invalid("body: not proto3 JSON of " + withPathFields.getDescriptorForType().getFullName() + ": "
                    + e.getMessage());
        }
        withPathFields.mergeFrom(path);
        return withPathFields;
    }

    private static Timestamp time(String field, String value) {
        try {
            return Timestamps.parse(value);
        } catch (java.text.ParseException e) {
            throw invalid(field + ": must be an RFC 3339 time such as 2025-01-31T12:00:00Z, was \"" + value + "\"");
        }
    }

    private static ByteString bytes(String field, String value) {
        try {
            return ByteString.copyFrom(Base64.getUrlDecoder().decode(value.replace('+', '-').replace('/', '_')));
        } catch (IllegalArgumentException e) {
            throw invalid(field + ": must be base64, as this API returned it");
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    private static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }
}
