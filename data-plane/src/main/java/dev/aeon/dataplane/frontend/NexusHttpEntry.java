package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.auth.CallAuthorizer;
import dev.aeon.dataplane.cluster.LeaderHttp;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.auth.Credentials;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.nexus.NexusAnswer;
import dev.aeon.dataplane.nexus.NexusAnswer.HandlerErrorType;
import dev.aeon.dataplane.nexus.NexusEndpoint;
import dev.aeon.dataplane.nexus.NexusEndpoints;
import dev.aeon.dataplane.nexus.NexusRequests;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Temporal's Nexus HTTP entry, on the data plane's HTTP port: {@code POST /nexus/endpoints/{id}/services/{service}
 * /{operation}} starts an operation and {@code .../{operation}/cancel} cancels one, as Temporal's frontend serves
 * them (by endpoint id; the endpoint's {@code url_prefix}). A thin edge: finds the endpoint, authenticates the
 * caller's API key and requires WRITE on the endpoint's target namespace (Temporal's {@code DispatchNexusTask}
 * needs a writer), then hands over to {@link NexusRequests}. An endpoint of another account is answered exactly
 * as one that does not exist.
 */
@Path("/nexus/endpoints/{endpoint}/services/{service}/{operation}")
@Consumes(MediaType.WILDCARD)
public class NexusHttpEntry {

    private static final Logger LOG = Logger.getLogger(NexusHttpEntry.class);
    /** Temporal's API name for this call; {@code RpcPermissions} classifies it like an RPC. */
    static final String DISPATCH = "temporal.api.nexusservice.v1.NexusService/DispatchByEndpoint";
    /** Longer than a Nexus request may take on the leader (its Request-Timeout caps at a minute). */
    private static final java.time.Duration RELAY_TIMEOUT = java.time.Duration.ofSeconds(75);

    private final NexusEndpoints endpoints;
    private final NexusRequests requests;
    private final NamespaceRegistry namespaces;
    private final CallAuthorizer authorizer;
    private final Executor executor;

    private final LeaderHttp leader;

    @Context
    UriInfo uri;

    public NexusHttpEntry(NexusEndpoints endpoints, NexusRequests requests, NamespaceRegistry namespaces,
                          CallAuthorizer authorizer, HistoryEngine engine, LeaderHttp leader) {
        this.leader = leader;
        this.endpoints = endpoints;
        this.requests = requests;
        this.namespaces = namespaces;
        this.authorizer = authorizer;
        this.executor = engine.executor();
    }

    @POST
    public CompletionStage<Response> start(@PathParam("endpoint") String endpointId,
                                           @PathParam("service") String service,
                                           @PathParam("operation") String operation,
                                           @QueryParam("callback") String callback,
                                           @Context HttpHeaders httpHeaders, byte[] body) {
        Optional<Member> elsewhere = leader.elsewhere();
        if (elsewhere.isPresent()) {
            return relay(elsewhere.get(), httpHeaders, body);
        }
        NexusRequests.HttpCall call = call(httpHeaders, callback, body);
        return dispatch(endpointId, call, (endpoint, namespaceId) ->
                requests.start(endpoint, namespaceId, service, operation, call));
    }

    @POST
    @Path("cancel")
    public CompletionStage<Response> cancel(@PathParam("endpoint") String endpointId,
                                            @PathParam("service") String service,
                                            @PathParam("operation") String operation,
                                            @QueryParam("token") String tokenParameter,
                                            @Context HttpHeaders httpHeaders, byte[] body) {
        Optional<Member> elsewhere = leader.elsewhere();
        if (elsewhere.isPresent()) {
            return relay(elsewhere.get(), httpHeaders, body);
        }
        NexusRequests.HttpCall call = call(httpHeaders, null, body);
        String token = call.headers().getOrDefault("nexus-operation-token", tokenParameter);
        return dispatch(endpointId, call, (endpoint, namespaceId) ->
                requests.cancel(endpoint, namespaceId, service, operation, token, call));
    }

    /** Nexus calls are POSTs; Temporal answers any other method 400 in Nexus's form (JAX-RS would say 405). */
    @jakarta.ws.rs.GET
    public Response get() {
        return notPost("GET");
    }

    @jakarta.ws.rs.PUT
    public Response put() {
        return notPost("PUT");
    }

    @jakarta.ws.rs.DELETE
    public Response delete() {
        return notPost("DELETE");
    }

    private static Response notPost(String method) {
        return response(NexusAnswer.handlerError(HandlerErrorType.BAD_REQUEST,
                "invalid request method: expected POST, got " + method, null));
    }

    private interface Dispatch {
        CompletableFuture<NexusAnswer> to(NexusEndpoint endpoint, String namespaceId);
    }

    /**
     * Handler workers poll the leader (their polls are forwarded there), so on any other node the request goes to the
     * leader as it came (the caller's credentials included: the leader authorizes it) and the leader's answer back.
     */
    private CompletionStage<Response> relay(Member to, HttpHeaders headers, byte[] body) {
        java.net.URI request = uri.getRequestUri();
        String pathAndQuery = request.getRawPath() + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery());
        return leader.relay(to, "POST", pathAndQuery, headers.getRequestHeaders(), body, RELAY_TIMEOUT)
                .thenApply(answer -> {
                    Response.ResponseBuilder response = Response.status(answer.statusCode()).entity(answer.body());
                    answer.headers().map().forEach((name, values) -> {
                        if (LeaderHttp.passOn(name) && !name.startsWith(":")) {
                            values.forEach(value -> response.header(name, value));
                        }
                    });
                    return response.build();
                })
                .exceptionally(failed -> response(NexusAnswer.handlerError(HandlerErrorType.UNAVAILABLE,
                        "the leading data-plane node did not answer; retry", true)));
    }

    private CompletionStage<Response> dispatch(String endpointId, NexusRequests.HttpCall call, Dispatch dispatch) {
        Optional<NexusEndpoint> found = endpoints.byId(endpointId);
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(response(endpointNotFound()));
        }
        NexusEndpoint endpoint = found.get();
        String target = endpoint.spec().targetNamespace();
        CompletableFuture<?> authorized = authorizer.enabled()
                ? authorizer.authorize(DISPATCH, target, credentials(call.headers()))
                : CompletableFuture.completedFuture(null);
        return authorized
                .thenApplyAsync(caller -> targetNamespaceId(target), executor)
                .thenCompose(namespaceId -> namespaceId == null
                        ? CompletableFuture.completedFuture(NexusAnswer.handlerError(HandlerErrorType.NOT_FOUND,
                        "invalid endpoint target", true))
                        : dispatch.to(endpoint, namespaceId))
                .exceptionally(NexusHttpEntry::refusal)
                .thenApply(NexusHttpEntry::response);
    }

    /** The target namespace's id; null when it is gone (Temporal: NOT_FOUND "invalid endpoint target", retryable). */
    private String targetNamespaceId(String target) {
        try {
            return namespaces.namespace(target).id();
        } catch (StatusRuntimeException notFound) {
            if (notFound.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return null;
            }
            throw notFound;
        }
    }

    private static NexusAnswer endpointNotFound() {
        return NexusAnswer.handlerError(HandlerErrorType.NOT_FOUND, "nexus endpoint not found", false);
    }

    /** What authentication refused, as Nexus handler errors; another account's endpoint is one that does not exist. */
    private static NexusAnswer refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof StatusRuntimeException status) {
            String message = status.getStatus().getDescription();
            switch (status.getStatus().getCode()) {
                case UNAUTHENTICATED:
                    return NexusAnswer.handlerError(HandlerErrorType.UNAUTHENTICATED, message, null);
                case PERMISSION_DENIED:
                    return NexusAnswer.handlerError(HandlerErrorType.UNAUTHORIZED, message, null);
                case NOT_FOUND:
                    return endpointNotFound();
                case UNAVAILABLE:
                    return NexusAnswer.handlerError(HandlerErrorType.UNAVAILABLE, message, null);
                default:
                    break;
            }
        }
        LOG.error("Nexus request failed", cause);
        return NexusAnswer.handlerError(HandlerErrorType.INTERNAL, "internal error", null);
    }

    private static Credentials credentials(Map<String, String> headers) {
        String authorization = headers.get("authorization");
        String apiKey = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        return new Credentials(apiKey, authorization != null && apiKey == null, null);
    }

    /** Headers by lower-cased name, one value each (Nexus headers are single-valued; links are joined). */
    private static NexusRequests.HttpCall call(HttpHeaders httpHeaders, String callback, byte[] body) {
        Map<String, String> headers = new TreeMap<>();
        httpHeaders.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                String lower = name.toLowerCase(Locale.ROOT);
                headers.put(lower, lower.equals("nexus-link") ? String.join(",", values) : values.get(0));
            }
        });
        return new NexusRequests.HttpCall(headers, callback, body == null ? new byte[0] : body);
    }

    private static Response response(NexusAnswer answer) {
        Response.ResponseBuilder response = Response.status(answer.status());
        answer.headers().forEach(header -> response.header(header.getKey(), header.getValue()));
        return answer.body().length == 0 ? response.build() : response.entity(answer.body()).build();
    }
}
