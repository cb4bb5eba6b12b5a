package dev.aeon.dataplane.nexus;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.temporal.api.nexus.v1.CancelOperationRequest;
import io.temporal.api.nexus.v1.Failure;
import io.temporal.api.nexus.v1.Link;
import io.temporal.api.nexus.v1.Request;
import io.temporal.api.nexus.v1.StartOperationRequest;
import io.temporal.api.nexus.v1.StartOperationResponse;
import io.temporal.api.workflowservice.v1.RespondNexusTaskFailedRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The handler side of Nexus: an operation request that reached an endpoint over HTTP becomes a Nexus task on the
 * endpoint's target namespace and task queue ({@link NexusTasks}), and the handler worker's answer becomes the
 * HTTP answer, as Temporal's frontend does it (service/frontend/nexus_handler.go). Whether the caller may call the
 * endpoint at all is not decided here: the caller side checks the endpoint's allowed callers before it calls.
 */
@ApplicationScoped
public class NexusRequests {

    /**
     * Headers never handed to the handler: Temporal's default blacklist (internal to Temporal) and the caller's
     * credentials, which are the caller's, not the handler's.
     */
    private static final Set<String> WITHHELD = Set.of("accept-encoding", "x-forwarded-for", "xdc-redirection",
            "xdc-redirection-api", "temporal-nexus-failure-support", "authorization", "host", "connection",
            "content-length", "transfer-encoding");
    /** Temporal's limits: the HTTP body (rpc.MaxNexusAPIRequestBodyBytes) and the input payload (the blob limit). */
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    private static final Pattern TIMEOUT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*type=\"?([^\";]*)\"?");

    private final NexusTasks tasks;

    public NexusRequests(NexusTasks tasks) {
        this.tasks = tasks;
    }

    /** What the HTTP request carried, headers by lower-cased name (one value each, as in Nexus). */
    public record HttpCall(Map<String, String> headers, String callbackUrl, byte[] body) {
    }

    /** Starts an operation: {@code POST .../services/{service}/{operation}}. */
    public CompletableFuture<NexusAnswer> start(NexusEndpoint endpoint, String namespaceId, String service,
                                                String operation, HttpCall call) {
        if (call.body().length > MAX_BODY_BYTES) {
            return CompletableFuture.completedFuture(NexusAnswer.handlerError(NexusAnswer.HandlerErrorType.BAD_REQUEST,
                    "input exceeds size limit", null));
        }
        Duration wait;
        List<Link> links;
        StartOperationRequest.Builder start;
        try {
            wait = requestTimeout(call.headers());
            links = links(call.headers().get("nexus-link"));
            start = StartOperationRequest.newBuilder().setService(service).setOperation(operation)
                    .setRequestId(call.headers().getOrDefault("nexus-request-id", ""))
                    .setCallback(call.callbackUrl() == null ? "" : call.callbackUrl())
                    .putAllCallbackHeader(prefixed(call.headers(), "nexus-callback-"))
                    .addAllLinks(links)
                    .setPayload(new NexusContent(prefixed(call.headers(), "content-"), call.body()).toPayload());
        } catch (IllegalArgumentException | InvalidProtocolBufferException invalid) {
            return CompletableFuture.completedFuture(NexusAnswer.handlerError(NexusAnswer.HandlerErrorType.BAD_REQUEST,
                    invalid instanceof InvalidProtocolBufferException ? "invalid input" : invalid.getMessage(), null));
        }
        Request request = request(endpoint, call.headers()).setStartOperation(start).build();
        return tasks.dispatch(namespaceId, endpoint.spec().targetTaskQueue(), request, wait)
                .thenApply(NexusRequests::startAnswer);
    }

    /** Cancels an operation: {@code POST .../services/{service}/{operation}/cancel}, the token in a header or query. */
    public CompletableFuture<NexusAnswer> cancel(NexusEndpoint endpoint, String namespaceId, String service,
                                                 String operation, String token, HttpCall call) {
        if (token == null || token.isEmpty()) {
            return CompletableFuture.completedFuture(NexusAnswer.handlerError(NexusAnswer.HandlerErrorType.BAD_REQUEST,
                    "missing operation token", null));
        }
        Duration wait;
        try {
            wait = requestTimeout(call.headers());
        } catch (IllegalArgumentException invalid) {
            return CompletableFuture.completedFuture(NexusAnswer.handlerError(NexusAnswer.HandlerErrorType.BAD_REQUEST,
                    invalid.getMessage(), null));
        }
        Map<String, String> headers = new TreeMap<>(call.headers());
        headers.remove("nexus-operation-token");
        Request request = request(endpoint, headers).setCancelOperation(CancelOperationRequest.newBuilder()
                .setService(service).setOperation(operation).setOperationToken(token).setOperationId(token)).build();
        return tasks.dispatch(namespaceId, endpoint.spec().targetTaskQueue(), request, wait)
                .thenApply(outcome -> {
                    if (outcome instanceof NexusTasks.Outcome.Failed failed) {
                        return failedAnswer(failed.failure());
                    }
                    if (outcome instanceof NexusTasks.Outcome.Overloaded overloaded) {
                        return overloaded(overloaded);
                    }
                    return outcome instanceof NexusTasks.Outcome.Completed ? NexusAnswer.cancelAccepted()
                            : upstreamTimeout();
                });
    }

    private static Request.Builder request(NexusEndpoint endpoint, Map<String, String> httpHeaders) {
        Map<String, String> header = new TreeMap<>();
        httpHeaders.forEach((name, value) -> {
            if (!name.startsWith("content-") && !name.startsWith("nexus-callback-") && !WITHHELD.contains(name)) {
                header.put(name, value);
            }
        });
        Instant now = Instant.now();
        return Request.newBuilder().putAllHeader(header).setEndpoint(endpoint.spec().name())
                .setScheduledTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
    }

    private static NexusAnswer startAnswer(NexusTasks.Outcome outcome) {
        if (outcome instanceof NexusTasks.Outcome.Failed failed) {
            return failedAnswer(failed.failure());
        }
        if (outcome instanceof NexusTasks.Outcome.Overloaded overloaded) {
            return overloaded(overloaded);
        }
        if (!(outcome instanceof NexusTasks.Outcome.Completed completed)) {
            return upstreamTimeout();
        }
        StartOperationResponse start = completed.response().getStartOperation();
        return switch (start.getVariantCase()) {
            case SYNC_SUCCESS -> NexusAnswer.syncSuccess(NexusContent.of(start.getSyncSuccess().getPayload()),
                    start.getSyncSuccess().getLinksList());
            case ASYNC_SUCCESS -> NexusAnswer.asyncSuccess(start.getAsyncSuccess().getOperationToken().isEmpty()
                            ? start.getAsyncSuccess().getOperationId() : start.getAsyncSuccess().getOperationToken(),
                    start.getAsyncSuccess().getLinksList());
            case OPERATION_ERROR -> NexusAnswer.operationError(start.getOperationError().getOperationState(),
                    start.getOperationError().getFailure());
            case FAILURE -> NexusAnswer.operationError(start.getFailure().hasCanceledFailureInfo()
                    ? "canceled" : "failed", Failure.newBuilder().setMessage(start.getFailure().getMessage()).build());
            // The worker answered nothing: its fault, as Temporal says.
            default -> NexusAnswer.handlerError(NexusAnswer.HandlerErrorType.INTERNAL, "empty outcome", null);
        };
    }

    /** A worker's RespondNexusTaskFailed: the legacy handler error, or a Temporal failure naming the error type. */
    private static NexusAnswer failedAnswer(RespondNexusTaskFailedRequest failed) {
        if (failed.hasError()) {
            return NexusAnswer.workerHandlerError(failed.getError().getErrorType(), failed.getError().getFailure(),
                    failed.getError().getRetryBehavior());
        }
        var failure = failed.getFailure();
        return NexusAnswer.workerHandlerError(failure.getNexusHandlerFailureInfo().getType(),
                Failure.newBuilder().setMessage(failure.getMessage()).build(),
                failure.getNexusHandlerFailureInfo().getRetryBehavior());
    }

    /** Temporal answers a namespace over its concurrency limit RESOURCE_EXHAUSTED, retryable. */
    private static NexusAnswer overloaded(NexusTasks.Outcome.Overloaded overloaded) {
        return NexusAnswer.handlerError(NexusAnswer.HandlerErrorType.RESOURCE_EXHAUSTED, "namespace has "
                + overloaded.limit() + " Nexus requests waiting for its workers already", true);
    }

    private static NexusAnswer upstreamTimeout() {
        return NexusAnswer.handlerError(NexusAnswer.HandlerErrorType.UPSTREAM_TIMEOUT, "upstream timeout", null);
    }

    /** The caller's {@code Request-Timeout} (Nexus's {@code 10s}, {@code 500ms}, {@code 1.5m}); a minute without one. */
    static Duration requestTimeout(Map<String, String> headers) {
        String value = headers.get("request-timeout");
        if (value == null || value.isEmpty()) {
            return NexusTasks.MAX_WAIT;
        }
        Matcher matcher = TIMEOUT.matcher(value.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid request timeout header");
        }
        double amount = Double.parseDouble(matcher.group(1));
        double millis = switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** {@code Nexus-Link} values (RFC 8288 links with a {@code type} parameter), several separated by commas. */
    private static List<Link> links(String header) {
        List<Link> links = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return links;
        }
        Matcher matcher = LINK.matcher(header);
        while (matcher.find()) {
            links.add(Link.newBuilder().setUrl(matcher.group(1)).setType(matcher.group(2)).build());
        }
        if (links.isEmpty()) {
            throw new IllegalArgumentException("invalid \"Nexus-Link\" header");
        }
        return links;
    }

    /** The headers starting with {@code prefix}, without it. */
    private static Map<String, String> prefixed(Map<String, String> headers, String prefix) {
        Map<String, String> found = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                found.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT), value);
            }
        });
        return found;
    }
}
