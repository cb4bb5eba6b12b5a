package dev.aeon.dataplane.history.nexusoperation;

import dev.aeon.dataplane.cluster.PeerMessage;
import dev.aeon.dataplane.history.engine.OwnerCalls;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.InternalTaskQueue;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.engine.TimerDispatcher;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.NexusCancelState;
import dev.aeon.dataplane.history.state.NexusCompletionCallback;
import dev.aeon.dataplane.history.state.NexusOperationInfo;
import dev.aeon.dataplane.history.state.NexusOperationState;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.nexus.NexusEndpoint;
import dev.aeon.dataplane.nexus.NexusEndpoints;
import dev.aeon.dataplane.nexus.NexusTasks;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.common.v1.Link;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.NexusHandlerErrorRetryBehavior;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.CanceledFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.NexusHandlerFailureInfo;
import io.temporal.api.failure.v1.TerminatedFailureInfo;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.nexus.v1.CancelOperationRequest;
import io.temporal.api.nexus.v1.Request;
import io.temporal.api.nexus.v1.StartOperationRequest;
import io.temporal.api.nexus.v1.StartOperationResponse;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Carries out what Nexus operations need after their transitions commit: the start request (NEXUS_START) and the
 * cancel request (NEXUS_CANCEL) of a caller's operation, sent in-process to the endpoint's target namespace and task
 * queue as Temporal's frontend would dispatch them ({@link NexusTasks}); the completion a closed handler workflow owes
 * its callers (NEXUS_COMPLETION); and the operation's timeouts and retry backoffs.
 *
 * <p>Each task may run more than once (after a crash). A start request carries the operation's request id, by which
 * the handler's workflow start is deduplicated; an answer is recorded only while the operation still waits for that
 * attempt's answer; a completion only while the operation is pending with the token's request id. So a caller
 * completes exactly once, whatever is repeated.
 */
@ApplicationScoped
public class NexusOperationTasks {

    private static final Logger LOG = Logger.getLogger(NexusOperationTasks.class);

    /** Temporal's per-request timeout (component.nexusoperations.request.timeout) and the least worth sending. */
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    static final long MIN_REQUEST_TIMEOUT_MILLIS = 1_500;
    static final int MAX_TOKEN_LENGTH = 4096;
    private static final String WORKFLOW_EVENT_LINK = "temporal.api.common.v1.Link.WorkflowEvent";
    private static final String TEMPORAL_FAILURE = "temporal.api.failure.v1.Failure";
    /** Handler error types Nexus does not retry unless the handler says otherwise. */
    private static final Set<String> NOT_RETRYABLE = Set.of("BAD_REQUEST", "UNAUTHENTICATED", "UNAUTHORIZED",
            "NOT_FOUND", "NOT_IMPLEMENTED");

    private final HistoryEngine engine;
    private final OwnerCalls owners;
    private final NexusTasks nexus;
    private final NexusEndpoints endpoints;
    private final NamespaceRegistry namespaces;
    /**
     * How long a closed workflow's completions are held back before delivery: zero, except in the crash test, which
     * kills the process inside this window to prove a completion committed but not yet delivered is not lost.
     */
    private final Duration completionDelay;
    /** Requests wait for a handler worker for up to 10 s: on threads of their own, not the engine's. */
    private final ExecutorService outbound = Executors.newFixedThreadPool(16, r -> {
        Thread thread = new Thread(r, "aeon-nexus-outbound");
        thread.setDaemon(true);
        return thread;
    });

    public NexusOperationTasks(HistoryEngine engine, InternalTaskQueue queue, TimerDispatcher timers,
                               NexusTasks nexus, NexusEndpoints endpoints, NamespaceRegistry namespaces,
                               @org.eclipse.microprofile.config.inject.ConfigProperty(
                                       name = "aeon.data-plane.nexus.completion-delay", defaultValue = "0s")
                               Duration completionDelay, OwnerCalls owners) {
        this.engine = engine;
        this.owners = owners;
        owners.serve("nexus.completion", in -> {
            String encoded = in.string();
            CallbackToken token = CallbackToken.decode(encoded)
                    .orElseThrow(() -> dev.aeon.dataplane.errors.ApiErrors.invalidArgument("malformed callback token"));
            deliverHere(token, in.string(), in.string(), in.proto(Link.parser()), in.proto(HistoryEvent.parser()));
            return null;
        });
        this.completionDelay = completionDelay;
        this.nexus = nexus;
        this.endpoints = endpoints;
        this.namespaces = namespaces;
        queue.onTask(EnumSet.of(DispatchTask.Kind.NEXUS_START, DispatchTask.Kind.NEXUS_CANCEL,
                DispatchTask.Kind.NEXUS_COMPLETION), this::handle, outbound);
        timers.handle(TimerTask.Kind.NEXUS_OPERATION_TIMEOUT, NexusOperationTasks::onTimeout);
        timers.handle(TimerTask.Kind.NEXUS_OPERATION_BACKOFF, NexusOperationTasks::onBackoff);
        timers.handle(TimerTask.Kind.NEXUS_CANCEL_BACKOFF, NexusOperationTasks::onCancelBackoff);
    }

    /** Created before the engine reloads pending tasks and timers, so none runs without a handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    @PreDestroy
    void stop() {
        outbound.shutdownNow();
    }

    void handle(DispatchTask task) {
        switch (task.kind()) {
            case NEXUS_START -> sendAndRecord(task, NexusOperationTasks::startDue, this::sendStart);
            case NEXUS_CANCEL -> sendAndRecord(task, NexusOperationTasks::cancelDue, this::sendCancel);
            case NEXUS_COMPLETION -> completion(task);
            default -> throw new IllegalStateException(task.kind() + " is not Nexus work");
        }
    }

    // Start and cancel requests.

    /** No request of the kind is waiting to be sent ({@link #startDue}, {@link #cancelDue}). */
    private static final int NONE = -1;

    /** The attempt whose start request is due, or {@link #NONE}. */
    private static int startDue(NexusOperationInfo op) {
        return op.state() == NexusOperationState.SCHEDULED ? op.attempt() : NONE;
    }

    /** The attempt whose cancel request is due, or {@link #NONE}. */
    private static int cancelDue(NexusOperationInfo op) {
        return op.cancelState() == NexusCancelState.SCHEDULED ? op.cancelAttempt() : NONE;
    }

    /**
     * Sends the request {@code due} says is waiting, and records its answer in the caller's run only while the
     * operation still waits for that attempt's answer (a repeated task, a timeout or a completion may have moved it
     * on meanwhile). The task's row is completed in the same transition.
     */
    private void sendAndRecord(DispatchTask task, java.util.function.ToIntFunction<NexusOperationInfo> due,
                               java.util.function.BiFunction<ExecutionState, NexusOperationInfo,
                                       BiConsumer<Mutation, NexusOperationInfo>> send) {
        Optional<ExecutionState> found = engine.find(task.namespaceId(), task.workflowId(), task.runId());
        if (found.isEmpty()) {
            engine.deleteTask(task);
            return;
        }
        ExecutionState caller = found.get();
        NexusOperationInfo op = caller.nexusOperation(task.scheduledEventId());
        int attempt = caller.isRunning() && op != null ? due.applyAsInt(op) : NONE;
        if (attempt == NONE) {
            onCaller(task, m -> { });
            return;
        }
        BiConsumer<Mutation, NexusOperationInfo> outcome = send.apply(caller, op);
        onCaller(task, m -> {
            NexusOperationInfo current = m.state.nexusOperation(task.scheduledEventId());
            if (m.state.isRunning() && current != null && due.applyAsInt(current) == attempt) {
                outcome.accept(m, current);
            }
        });
    }

    /** Sends the start request and says what its answer does to the operation. */
    private BiConsumer<Mutation, NexusOperationInfo> sendStart(ExecutionState caller, NexusOperationInfo op) {
        Namespace callerNamespace = namespaces.withId(caller.namespaceId());
        Optional<NexusEndpoint> endpoint = endpoints.byId(op.endpointId());
        // Deleted, or the caller taken off its allowed callers since the workflow scheduled the operation: the
        // handler's namespace never sees the request, and the caller learns no more than that it is gone.
        if (endpoint.isEmpty() || !endpoint.get().allowsCaller(callerNamespace.name())) {
            return (m, o) -> NexusOperationOutcomes.failed(m, o, handlerFailure("NOT_FOUND", "endpoint not registered",
                    NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE));
        }
        Optional<Namespace> target = namespace(endpoint.get().spec().targetNamespace());
        if (target.isEmpty()) {
            return (m, o) -> NexusOperationOutcomes.attemptFailed(m, o, handlerFailure("NOT_FOUND",
                    "invalid endpoint target", NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE));
        }
        long now = System.currentTimeMillis();
        long elapsed = now - op.scheduledTimeMillis();
        long callTimeout = REQUEST_TIMEOUT_MILLIS;
        TimeoutType deadline = TimeoutType.TIMEOUT_TYPE_UNSPECIFIED;
        if (op.scheduleToStartMillis() > 0) {
            callTimeout = Math.min(callTimeout, op.scheduleToStartMillis() - elapsed);
            deadline = TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
        } else if (op.scheduleToCloseMillis() > 0) {
            callTimeout = Math.min(callTimeout, op.scheduleToCloseMillis() - elapsed);
            deadline = TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE;
        }
        if (callTimeout < MIN_REQUEST_TIMEOUT_MILLIS) {
            TimeoutType type = deadline;
            return (m, o) -> NexusOperationOutcomes.timedOut(m, o, type);
        }
        HistoryEvent scheduledEvent = event(caller, op.scheduledEventId());
        var scheduled = scheduledEvent.getNexusOperationScheduledEventAttributes();
        Request.Builder request = request(endpoint.get(), scheduled.getNexusHeaderMap());
        long operationTimeout = op.startToCloseMillis() > 0 ? op.startToCloseMillis() : Long.MAX_VALUE;
        if (op.scheduleToCloseMillis() > 0) {
            operationTimeout = Math.min(operationTimeout, op.scheduleToCloseMillis() - elapsed);
        }
        if (operationTimeout != Long.MAX_VALUE && !request.containsHeader("operation-timeout")) {
            request.putHeader("operation-timeout", Math.max(operationTimeout, 0) + "ms");
        }
        String token = new CallbackToken(caller.namespaceId(), caller.workflowId(), caller.runId(),
                op.scheduledEventId(), op.requestId()).encode();
        StartOperationRequest.Builder start = StartOperationRequest.newBuilder().setService(op.service())
                .setOperation(op.operation()).setRequestId(op.requestId())
                .setCallback(dev.aeon.dataplane.history.run.CompletionCallbacks.SYSTEM_URL)
                .putCallbackHeader(CallbackToken.HEADER, token)
                .addLinks(scheduledLink(callerNamespace.name(), caller, scheduledEvent));
        if (scheduled.hasInput()) {
            start.setPayload(scheduled.getInput());
        }
        NexusTasks.Outcome answer = await(nexus.dispatch(target.get().id(), endpoint.get().spec().targetTaskQueue(),
                request.setStartOperation(start).build(), Duration.ofMillis(callTimeout)), callTimeout);
        String targetId = target.get().id();
        BiConsumer<Mutation, NexusOperationInfo> record = startOutcome(answer);
        return (m, o) -> {
            o.sentTo(targetId);
            record.accept(m, o);
        };
    }

    private static BiConsumer<Mutation, NexusOperationInfo> startOutcome(NexusTasks.Outcome answer) {
        if (answer instanceof NexusTasks.Outcome.Failed failed) {
            Failure failure = handlerFailure(failed.failure());
            return retryable(failure.getNexusHandlerFailureInfo())
                    ? (m, o) -> NexusOperationOutcomes.attemptFailed(m, o, failure)
                    : (m, o) -> NexusOperationOutcomes.failed(m, o, failure);
        }
        if (answer instanceof NexusTasks.Outcome.Overloaded overloaded) {
            return (m, o) -> NexusOperationOutcomes.attemptFailed(m, o, handlerFailure("RESOURCE_EXHAUSTED",
                    "namespace has " + overloaded.limit() + " Nexus requests waiting for its workers already",
                    NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE));
        }
        if (!(answer instanceof NexusTasks.Outcome.Completed completed)) {
            return (m, o) -> NexusOperationOutcomes.attemptFailed(m, o, handlerFailure("UPSTREAM_TIMEOUT",
                    "upstream timeout", NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_UNSPECIFIED));
        }
        StartOperationResponse response = completed.response().getStartOperation();
        switch (response.getVariantCase()) {
            case SYNC_SUCCESS -> {
                var result = response.getSyncSuccess();
                if (result.getPayload().getSerializedSize() > Limits.MAX_PAYLOAD_BYTES) {
                    return (m, o) -> NexusOperationOutcomes.failed(m, o, callError("http: response body too large"));
                }
                List<Link> links = workflowEventLinks(result.getLinksList());
                return (m, o) -> NexusOperationOutcomes.succeeded(m, o,
                        result.hasPayload() ? result.getPayload() : null, links);
            }
            case ASYNC_SUCCESS -> {
                var async = response.getAsyncSuccess();
                String token = async.getOperationToken().isEmpty() ? async.getOperationId() : async.getOperationToken();
                if (token.length() > MAX_TOKEN_LENGTH) {
                    return (m, o) -> NexusOperationOutcomes.failed(m, o, callError("invalid operation token: length "
                            + "exceeds allowed limit (" + token.length() + "/" + MAX_TOKEN_LENGTH + ")"));
                }
                List<Link> links = workflowEventLinks(async.getLinksList());
                return (m, o) -> NexusOperationOutcomes.started(m, o, token, links);
            }
            case OPERATION_ERROR -> {
                var error = response.getOperationError();
                Failure cause = fromNexusFailure(error.getFailure());
                return "canceled".equals(error.getOperationState())
                        ? (m, o) -> NexusOperationOutcomes.canceled(m, o, cause)
                        : (m, o) -> NexusOperationOutcomes.failed(m, o, cause);
            }
            case FAILURE -> {
                Failure cause = response.getFailure();
                return cause.hasCanceledFailureInfo()
                        ? (m, o) -> NexusOperationOutcomes.canceled(m, o, cause)
                        : (m, o) -> NexusOperationOutcomes.failed(m, o, cause);
            }
            default -> {
                // The worker answered nothing: its fault, retried as Temporal retries an internal handler error.
                return (m, o) -> NexusOperationOutcomes.attemptFailed(m, o, handlerFailure("INTERNAL", "empty outcome",
                        NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_UNSPECIFIED));
            }
        }
    }

    /** Sends the cancel request and says what its answer does to the operation's cancellation. */
    private BiConsumer<Mutation, NexusOperationInfo> sendCancel(ExecutionState caller, NexusOperationInfo op) {
        Namespace callerNamespace = namespaces.withId(caller.namespaceId());
        Optional<NexusEndpoint> endpoint = endpoints.byId(op.endpointId());
        if (endpoint.isEmpty() || !endpoint.get().allowsCaller(callerNamespace.name())) {
            return (m, o) -> NexusOperationOutcomes.cancelRequestFailed(m, o, handlerFailure("NOT_FOUND",
                    "endpoint not registered", NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE));
        }
        Optional<Namespace> target = namespace(endpoint.get().spec().targetNamespace());
        if (target.isEmpty()) {
            return (m, o) -> NexusOperationOutcomes.cancelAttemptFailed(m, o, handlerFailure("NOT_FOUND",
                    "invalid endpoint target", NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE));
        }
        long now = System.currentTimeMillis();
        long callTimeout = REQUEST_TIMEOUT_MILLIS;
        if (op.startToCloseMillis() > 0) {
            callTimeout = Math.min(callTimeout, op.startToCloseMillis() - (now - op.startedTimeMillis()));
        }
        if (op.scheduleToCloseMillis() > 0) {
            callTimeout = Math.min(callTimeout, op.scheduleToCloseMillis() - (now - op.scheduledTimeMillis()));
        }
        if (callTimeout < MIN_REQUEST_TIMEOUT_MILLIS) {
            return (m, o) -> NexusOperationOutcomes.cancelRequestFailed(m, o,
                    callError("not enough time left to send a cancel request before the operation times out"));
        }
        var scheduled = event(caller, op.scheduledEventId()).getNexusOperationScheduledEventAttributes();
        Request request = request(endpoint.get(), scheduled.getNexusHeaderMap())
                .setCancelOperation(CancelOperationRequest.newBuilder().setService(op.service())
                        .setOperation(op.operation()).setOperationToken(op.operationToken())
                        .setOperationId(op.operationToken()))
                .build();
        NexusTasks.Outcome answer = await(nexus.dispatch(target.get().id(), endpoint.get().spec().targetTaskQueue(),
                request, Duration.ofMillis(callTimeout)), callTimeout);
        if (answer instanceof NexusTasks.Outcome.Completed) {
            return NexusOperationOutcomes::cancelRequestCompleted;
        }
        Failure failure = answer instanceof NexusTasks.Outcome.Failed failed ? handlerFailure(failed.failure())
                : handlerFailure(answer instanceof NexusTasks.Outcome.Overloaded ? "RESOURCE_EXHAUSTED" : "UPSTREAM_TIMEOUT",
                answer instanceof NexusTasks.Outcome.Overloaded ? "too many Nexus requests waiting" : "upstream timeout",
                NexusHandlerErrorRetryBehavior.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_UNSPECIFIED);
        return retryable(failure.getNexusHandlerFailureInfo())
                ? (m, o) -> NexusOperationOutcomes.cancelAttemptFailed(m, o, failure)
                : (m, o) -> NexusOperationOutcomes.cancelRequestFailed(m, o, failure);
    }

    // Timers.

    private static void onTimeout(Mutation m, TimerTask timer) {
        NexusOperationInfo op = m.state.nexusOperation(timer.subjectId());
        if (op == null) {
            return;
        }
        TimeoutType type = TimeoutType.forNumber(timer.timeoutType());
        TimerTask.TimerRef armed = switch (type) {
            case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> op.scheduleToCloseTimer();
            case TIMEOUT_TYPE_SCHEDULE_TO_START -> op.state() == NexusOperationState.STARTED ? null
                    : op.scheduleToStartTimer();
            case TIMEOUT_TYPE_START_TO_CLOSE -> op.startToCloseTimer();
            default -> null;
        };
        if (timer.ref().equals(armed)) {
            NexusOperationOutcomes.timedOut(m, op, type);
        }
    }

    private static void onBackoff(Mutation m, TimerTask timer) {
        NexusOperationInfo op = m.state.nexusOperation(timer.subjectId());
        if (op != null && op.state() == NexusOperationState.BACKING_OFF && timer.ref().equals(op.backoffTimer())) {
            op.rescheduled(m.state.runId());
            m.addCrossWorkflowTask(DispatchTask.Kind.NEXUS_START, op.scheduledEventId());
        }
    }

    private static void onCancelBackoff(Mutation m, TimerTask timer) {
        NexusOperationInfo op = m.state.nexusOperation(timer.subjectId());
        if (op != null && op.cancelState() == NexusCancelState.BACKING_OFF
                && timer.ref().equals(op.cancelBackoffTimer())) {
            op.cancelScheduled(m.state.runId());
            m.addCrossWorkflowTask(DispatchTask.Kind.NEXUS_CANCEL, op.scheduledEventId());
        }
    }

    // The handler side: a workflow-run operation's workflow closed.

    private void completion(DispatchTask task) {
        Optional<ExecutionState> found = engine.find(task.namespaceId(), task.workflowId(), task.runId());
        if (found.isEmpty()) {
            engine.deleteTask(task);
            return;
        }
        ExecutionState closed = found.get();
        HistoryEvent close = event(closed, closed.nextEventId() - 1);
        if (!completionDelay.isZero()) {
            try {
                Thread.sleep(completionDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while holding a completion back", e);
            }
        }
        for (NexusCompletionCallback callback : closed.completionCallbacks()) {
            Optional<CallbackToken> token = CallbackToken.decode(callback.header().get(CallbackToken.HEADER));
            if (token.isEmpty()) {
                LOG.warnf("run %s of namespace %s has a completion callback without a valid token; not delivered",
                        closed.runId(), closed.namespaceId());
                continue;
            }
            deliver(closed, close, callback, token.get());
        }
        try {
            engine.update(task.namespaceId(), task.workflowId(), task.runId(), m -> {
                m.completeTransferTask(task.taskId());
                return null;
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** Completes the caller's operation with the closed run's outcome, if the operation still waits for it. */
    private void deliver(ExecutionState closed, HistoryEvent close, NexusCompletionCallback callback,
                         CallbackToken token) {
        String operationToken = callback.header().getOrDefault("nexus-operation-token", "");
        Link started = handlerStartLink(closed);
        try {
            if (owners.onOwner(token.namespaceId(), token.workflowId(), "nexus.completion",
                    () -> PeerMessage.write().string(callback.header().get(CallbackToken.HEADER))
                            .string(closed.namespaceId()).string(operationToken).proto(started).proto(close).done())
                    .isEmpty()) {
                deliverHere(token, closed.namespaceId(), operationToken, started, close);
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e; // the caller is gone otherwise: nobody to tell
            }
        }
    }

    /** The caller's half of {@link #deliver}, on the node that owns the caller's shard. */
    private void deliverHere(CallbackToken token, String handlerNamespaceId, String operationToken, Link started,
                             HistoryEvent close) {
        engine.update(token.namespaceId(), token.workflowId(), token.runId(), m -> {
            NexusOperationInfo op = m.state.nexusOperation(token.scheduledEventId());
            // Only the operation's target namespace, which alone was told the request id, may complete it.
            if (!m.state.isRunning() || op == null || !op.requestId().equals(token.requestId())
                    || !handlerNamespaceId.equals(op.targetNamespaceId())) {
                return null;
            }
            if (op.state() != NexusOperationState.STARTED) {
                // The completion overtook the start request's answer: Temporal records the start first, linked
                // to the handler's workflow as the answer would have been.
                NexusOperationOutcomes.started(m, op, operationToken, List.of(started));
            }
            recordClose(m, op, close);
            return null;
        });
    }

    /** A link to the started event of the handler workflow's chain (Temporal's completion carries one). */
    private Link handlerStartLink(ExecutionState closed) {
        return Link.newBuilder().setWorkflowEvent(Link.WorkflowEvent.newBuilder()
                .setNamespace(namespaces.withId(closed.namespaceId()).name()).setWorkflowId(closed.workflowId())
                .setRunId(closed.firstRunId())
                .setEventRef(Link.WorkflowEvent.EventReference.newBuilder().setEventId(1)
                        .setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED))).build();
    }

    /** The outcome of the handler's workflow as its caller sees it (Temporal's GetNexusCompletion). */
    private static void recordClose(Mutation m, NexusOperationInfo op, HistoryEvent close) {
        switch (close.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
                var result = close.getWorkflowExecutionCompletedEventAttributes().getResult();
                NexusOperationOutcomes.succeeded(m, op, result.getPayloadsCount() > 0 ? result.getPayloads(0) : null,
                        List.of());
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> NexusOperationOutcomes.failed(m, op,
                    close.getWorkflowExecutionFailedEventAttributes().getFailure());
            case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> NexusOperationOutcomes.canceled(m, op,
                    Failure.newBuilder().setMessage("operation canceled")
                            .setCanceledFailureInfo(CanceledFailureInfo.newBuilder()
                                    .setDetails(close.getWorkflowExecutionCanceledEventAttributes().getDetails()))
                            .build());
            case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> NexusOperationOutcomes.failed(m, op,
                    Failure.newBuilder().setMessage("operation terminated")
                            .setTerminatedFailureInfo(TerminatedFailureInfo.getDefaultInstance()).build());
            default -> NexusOperationOutcomes.failed(m, op, Failure.newBuilder()
                    .setMessage("operation exceeded internal timeout")
                    .setTimeoutFailureInfo(TimeoutFailureInfo.getDefaultInstance()).build());
        }
    }

    // Helpers.

    /** The request as Temporal's caller sends it: its header, and that it takes failures in Temporal's format. */
    private static Request.Builder request(NexusEndpoint endpoint, Map<String, String> header) {
        Instant now = Instant.now();
        return Request.newBuilder().putAllHeader(header).setEndpoint(endpoint.spec().name())
                .setScheduledTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCapabilities(Request.Capabilities.newBuilder().setTemporalFailureResponses(true));
    }

    /** A Nexus link back to the caller's scheduled event, as Temporal sends one with every start request. */
    private static io.temporal.api.nexus.v1.Link scheduledLink(String namespace, ExecutionState caller,
                                                               HistoryEvent scheduled) {
        String url = "temporal:///namespaces/" + encode(namespace) + "/workflows/" + encode(caller.workflowId()) + "/"
                + encode(caller.runId()) + "/history?eventID=" + scheduled.getEventId() + "&eventType="
                + EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED.name() + "&referenceType=EventReference";
        return io.temporal.api.nexus.v1.Link.newBuilder().setUrl(url).setType(WORKFLOW_EVENT_LINK).build();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The handler's links to workflow events (the workflow it started), as the events' links; others are dropped. */
    private static List<Link> workflowEventLinks(List<io.temporal.api.nexus.v1.Link> links) {
        return links.stream().filter(link -> WORKFLOW_EVENT_LINK.equals(link.getType()))
                .map(NexusOperationTasks::workflowEventLink).flatMap(Optional::stream).toList();
    }

    private static Optional<Link> workflowEventLink(io.temporal.api.nexus.v1.Link link) {
        java.util.regex.Matcher path = java.util.regex.Pattern
                .compile("temporal:///namespaces/([^/]+)/workflows/([^/]+)/([^/?]+)/history\\??(.*)")
                .matcher(link.getUrl());
        if (!path.matches()) {
            return Optional.empty();
        }
        var event = Link.WorkflowEvent.newBuilder().setNamespace(decode(path.group(1)))
                .setWorkflowId(decode(path.group(2))).setRunId(decode(path.group(3)));
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : path.group(4).split("&")) {
            int at = pair.indexOf('=');
            if (at > 0) {
                query.put(pair.substring(0, at), decode(pair.substring(at + 1)));
            }
        }
        EventType type = eventType(query.getOrDefault("eventType", ""));
        if ("RequestIdReference".equals(query.get("referenceType"))) {
            event.setRequestIdRef(Link.WorkflowEvent.RequestIdReference.newBuilder()
                    .setRequestId(query.getOrDefault("requestID", "")).setEventType(type));
        } else {
            long eventId = 0;
            try {
                eventId = Long.parseLong(query.getOrDefault("eventID", "0"));
            } catch (NumberFormatException ignored) {
                return Optional.empty();
            }
            event.setEventRef(Link.WorkflowEvent.EventReference.newBuilder().setEventId(eventId).setEventType(type));
        }
        return Optional.of(Link.newBuilder().setWorkflowEvent(event).build());
    }

    private static EventType eventType(String name) {
        for (EventType type : EventType.values()) {
            if (type != EventType.UNRECOGNIZED && (type.name().equals(name)
                    || type.name().replace("_", "").equalsIgnoreCase("EVENTTYPE" + name))) {
                return type;
            }
        }
        return EventType.EVENT_TYPE_UNSPECIFIED;
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /**
     * A handler error a worker returned, as a Temporal failure naming its type. The legacy form (a worker not using
     * Temporal failure responses) carries what the handler's error wrapped as a Nexus failure; on Temporal it
     * travels to the caller as the handler error's cause and comes back as a Temporal failure (an SDK's own failure
     * rebuilt from the details), so the caller's workflow sees, say, the ApplicationError the handler raised.
     */
    private static Failure handlerFailure(io.temporal.api.workflowservice.v1.RespondNexusTaskFailedRequest failed) {
        if (failed.hasFailure()) {
            return failed.getFailure();
        }
        var error = failed.getError();
        Failure.Builder failure = Failure.newBuilder().setMessage(error.getFailure().getMessage())
                .setNexusHandlerFailureInfo(NexusHandlerFailureInfo.newBuilder().setType(error.getErrorType())
                        .setRetryBehavior(error.getRetryBehavior()));
        if (error.hasFailure() && (!error.getFailure().getMessage().isEmpty() || !error.getFailure().getDetails().isEmpty())) {
            failure.setCause(fromNexusFailure(error.getFailure(), "NexusFailure", false));
        }
        return failure.build();
    }

    private static Failure handlerFailure(String type, String message, NexusHandlerErrorRetryBehavior retry) {
        return Failure.newBuilder().setMessage(message)
                .setNexusHandlerFailureInfo(NexusHandlerFailureInfo.newBuilder().setType(type).setRetryBehavior(retry))
                .build();
    }

    /** A failure of the call itself (not the handler's), as Temporal records one. */
    private static Failure callError(String message) {
        return Failure.newBuilder().setMessage(message).setApplicationFailureInfo(ApplicationFailureInfo.newBuilder()
                .setType("CallError").setNonRetryable(true)).build();
    }

    /** Whether Nexus retries a handler error: as the handler says, else by its type (nexus-rpc's rule). */
    static boolean retryable(NexusHandlerFailureInfo info) {
        return switch (info.getRetryBehavior()) {
            case NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE -> true;
            case NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE -> false;
            default -> !NOT_RETRYABLE.contains(info.getType());
        };
    }

    /** A legacy operation error's Nexus failure as a Temporal failure (Temporal's NexusFailureToTemporalFailure). */
    private static Failure fromNexusFailure(io.temporal.api.nexus.v1.Failure failure) {
        return fromNexusFailure(failure, "OperationError", true);
    }

    /**
     * A Nexus failure as a Temporal failure: an SDK's Temporal failure rebuilt from its details, anything else an
     * application failure of the given type (Temporal's NexusFailureToTemporalFailure).
     */
    private static Failure fromNexusFailure(io.temporal.api.nexus.v1.Failure failure, String otherwiseType,
                                            boolean nonRetryable) {
        if (TEMPORAL_FAILURE.equals(failure.getMetadataMap().get("type")) && !failure.getDetails().isEmpty()) {
            try {
                Failure.Builder parsed = Failure.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(failure.getDetails().toStringUtf8(), parsed);
                return parsed.setMessage(failure.getMessage()).build();
            } catch (InvalidProtocolBufferException malformed) {
                // falls through: kept as a plain failure
            }
        }
        return Failure.newBuilder().setMessage(failure.getMessage())
                .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType(otherwiseType)
                        .setNonRetryable(nonRetryable)).build();
    }

    private static NexusTasks.Outcome await(java.util.concurrent.CompletableFuture<NexusTasks.Outcome> answer,
                                            long timeoutMillis) {
        try {
            return answer.get(timeoutMillis + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new NexusTasks.Outcome.TimedOut();
        } catch (ExecutionException e) {
            throw new IllegalStateException("dispatching a Nexus request failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Nexus handler", e);
        }
    }

    private Optional<Namespace> namespace(String name) {
        try {
            return Optional.of(namespaces.namespace(name));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Applies a change to the task's own run and completes the task's row in the same transition. */
    private void onCaller(DispatchTask task, Consumer<Mutation> change) {
        try {
            engine.update(task.namespaceId(), task.workflowId(), task.runId(), m -> {
                change.accept(m);
                m.completeTransferTask(task.taskId());
                return null;
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            engine.deleteTask(task);
        }
    }

    private HistoryEvent event(ExecutionState run, long eventId) {
        return engine.events(run, eventId, eventId + 1).get(0);
    }
}
