package dev.aeon.dataplane.history.run;

import dev.aeon.dataplane.cluster.PeerMessage;

import dev.aeon.dataplane.history.state.ParentRef;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.visibility.SearchAttributeValidator;
import io.temporal.api.common.v1.SearchAttributes;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.state.ExecutionState;
import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.engine.HistoryEngine.Creation;
import dev.aeon.dataplane.history.engine.StateCodec.CurrentRun;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * StartWorkflowExecution and SignalWithStartWorkflowExecution: whether a new run may start given the workflow id's
 * current run (Temporal's id reuse and conflict policies), and the new run's first transition.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // made at start-up: it serves its half of work other nodes ask of this one
public class WorkflowStarts {

    private static final Set<Integer> UNSUCCESSFUL = Set.of(
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED_VALUE,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED_VALUE,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED_VALUE,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT_VALUE);

    private final HistoryEngine engine;
    private final NamespaceRegistry namespaces;

    private final dev.aeon.dataplane.history.engine.OwnerCalls owners;

    public WorkflowStarts(HistoryEngine engine, NamespaceRegistry namespaces,
                          dev.aeon.dataplane.history.engine.OwnerCalls owners) {
        this.engine = engine;
        this.namespaces = namespaces;
        this.owners = owners;
        // Starts another node's parent or schedule asks for, of workflows whose shard this node owns.
        owners.serve("starts.child", in -> PeerMessage.write().string(startChildHere(in.string(),
                in.proto(io.temporal.api.history.v1.HistoryEvent.parser()), parentRef(in))).done());
        owners.serve("starts.scheduled", in -> startScheduledHere(in.string(),
                in.proto(StartWorkflowExecutionRequest.parser()),
                new dev.aeon.dataplane.history.state.CloseCallback(in.string(), in.string())).toByteArray());
    }

    private static ParentRef parentRef(PeerMessage.Reader in) {
        return new ParentRef(in.string(), in.string(), in.string(), in.string(), in.number(), in.string(), in.string());
    }

    public StartWorkflowExecutionResponse start(String namespaceId, StartWorkflowExecutionRequest request) {
        return start(namespaceId, request, runId -> { });
    }

    /**
     * Like {@link #start(String, StartWorkflowExecutionRequest)}; {@code newRun} learns the id of the run this start
     * creates before that run is committed, so before its first workflow task can be handed out (update-with-start
     * attaches its update there). Not called when an existing run answers.
     */
    public StartWorkflowExecutionResponse start(String namespaceId, StartWorkflowExecutionRequest request,
                                                Consumer<String> newRun) {
        return start(namespaceId, request, newRun, null);
    }

    /**
     * A schedule's start: {@code callback} is told when the started workflow's chain of runs closes. The schedule
     * derives the request id from the time it acts for, so a start repeated after a crash answers with the run the
     * first one created.
     */
    public StartWorkflowExecutionResponse startScheduled(String namespaceId, StartWorkflowExecutionRequest request,
                                                         dev.aeon.dataplane.history.state.CloseCallback callback) {
        return owners.onOwner(namespaceId, request.getWorkflowId(), "starts.scheduled",
                        () -> PeerMessage.write().string(namespaceId).proto(request)
                                .string(callback.namespaceId()).string(callback.workflowId()).done())
                .map(answer -> parseStartResponse(answer.rest()))
                .orElseGet(() -> startScheduledHere(namespaceId, request, callback));
    }

    private static StartWorkflowExecutionResponse parseStartResponse(byte[] bytes) {
        try {
            return StartWorkflowExecutionResponse.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("malformed answer from the owning node", e);
        }
    }

    private StartWorkflowExecutionResponse startScheduledHere(String namespaceId, StartWorkflowExecutionRequest request,
                                                              dev.aeon.dataplane.history.state.CloseCallback callback) {
        return start(namespaceId, request, runId -> { }, callback);
    }

    private StartWorkflowExecutionResponse start(String namespaceId, StartWorkflowExecutionRequest request,
                                                 Consumer<String> newRun,
                                                 dev.aeon.dataplane.history.state.CloseCallback callback) {
        checkSearchAttributes(namespaceId, request.getSearchAttributes());
        var completionCallbacks = CompletionCallbacks.of(request.getCompletionCallbacksList());
        String requestId = requestId(request.getRequestId());
        RunSpec spec = clientRun(request.getWorkflowId(), request.getWorkflowType(), request.getTaskQueue(),
                PresentFields.orNull(request.hasInput(), request.getInput()),
                PresentFields.orNull(request.hasHeader(), request.getHeader()),
                PresentFields.orNull(request.hasMemo(), request.getMemo()),
                PresentFields.orNull(request.hasSearchAttributes(), request.getSearchAttributes()),
                request.hasRetryPolicy() ? request.getRetryPolicy() : null, request.getCronSchedule(),
                request.getWorkflowExecutionTimeout(), request.getWorkflowRunTimeout(), request.getWorkflowTaskTimeout(),
                request.getWorkflowStartDelay(), request.getIdentity(), requestId);
        // Set by a schedule for its next run, as Temporal's scheduler does: what the previous run returned, or how
        // it failed (the SDKs' getLastCompletionResult / getPreviousRunFailure).
        RunSpec run = spec.carrying(PresentFields.orNull(request.hasContinuedFailure(), request.getContinuedFailure()),
                PresentFields.orNull(request.hasLastCompletionResult(), request.getLastCompletionResult()));

        String namespace = namespaces.withId(namespaceId).name();
        return engine.create(namespaceId, request.getWorkflowId(), current -> {
            Decision decision = decide(request.getWorkflowId(), current, requestId, request.getWorkflowIdReusePolicy(),
                    request.getWorkflowIdConflictPolicy());
            return switch (decision) {
                case SAME_REQUEST -> Creation.answer(response(current.orElseThrow().runId(), true,
                        startedLink(namespace, request.getWorkflowId(), current.orElseThrow().runId())));
                case USE_EXISTING -> request.getOnConflictOptions().getAttachCompletionCallbacks()
                        && !completionCallbacks.isEmpty()
                        // A second Nexus caller of the same workflow (USE_EXISTING): it is told of the close too.
                        ? new Creation<>(null, null, m -> CompletionCallbacks.attach(m.state, completionCallbacks),
                                response(current.orElseThrow().runId(), false,
                                        attachedLink(namespace, request.getWorkflowId(), current.orElseThrow().runId(),
                                                requestId)))
                        : Creation.answer(response(current.orElseThrow().runId(), false));
                case START, TERMINATE_AND_START -> {
                    ExecutionState state = NewRuns.state(namespaceId, request.getWorkflowId(), run, null, callback);
                    state.attachCompletionCallbacks(completionCallbacks);
                    newRun.accept(state.runId());
                    yield new Creation<>(state, m -> NewRuns.begin(m, run,
                            withUserMetadata(request.hasUserMetadata(), request.getUserMetadata(), withCallers(request))),
                            decision == Decision.TERMINATE_AND_START ? terminatedByConflictPolicy(request.getIdentity()) : null,
                            response(state.runId(), true, startedLink(namespace, request.getWorkflowId(), state.runId())));
                }
            };
        });
    }

    /**
     * The link Temporal answers a start with (a Nexus handler passes it to its caller): the run's started event, or,
     * for a start that attached to a running run, the request that did.
     */
    private static io.temporal.api.common.v1.Link startedLink(String namespace, String workflowId, String runId) {
        return io.temporal.api.common.v1.Link.newBuilder().setWorkflowEvent(io.temporal.api.common.v1.Link.WorkflowEvent
                .newBuilder().setNamespace(namespace).setWorkflowId(workflowId).setRunId(runId)
                .setEventRef(io.temporal.api.common.v1.Link.WorkflowEvent.EventReference.newBuilder().setEventId(1)
                        .setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED))).build();
    }

    private static io.temporal.api.common.v1.Link attachedLink(String namespace, String workflowId, String runId,
                                                                String requestId) {
        return io.temporal.api.common.v1.Link.newBuilder().setWorkflowEvent(io.temporal.api.common.v1.Link.WorkflowEvent
                .newBuilder().setNamespace(namespace).setWorkflowId(workflowId).setRunId(runId)
                .setRequestIdRef(io.temporal.api.common.v1.Link.WorkflowEvent.RequestIdReference.newBuilder()
                        .setRequestId(requestId).setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED)))
                .build();
    }

    /**
     * Signals the running run, or starts a new run with the signal as its first event after the started event.
     */
    public SignalWithStartWorkflowExecutionResponse signalWithStart(String namespaceId,
                                                                    SignalWithStartWorkflowExecutionRequest request) {
        Validation.requireId("signal_name", request.getSignalName());
        Limits.checkRequest("signal_input", request.getSignalInput());
        // Signal-with-start exists to reach a running workflow; Temporal refuses FAIL before looking at any run.
        if (request.getWorkflowIdConflictPolicy() == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL) {
            throw ApiErrors.invalidArgument("Invalid WorkflowIDConflictPolicy: WORKFLOW_ID_CONFLICT_POLICY_FAIL is not"
                    + " supported for this operation.");
        }
        checkSearchAttributes(namespaceId, request.getSearchAttributes());
        String requestId = requestId(request.getRequestId());
        RunSpec spec = clientRun(request.getWorkflowId(), request.getWorkflowType(), request.getTaskQueue(),
                PresentFields.orNull(request.hasInput(), request.getInput()),
                PresentFields.orNull(request.hasHeader(), request.getHeader()),
                PresentFields.orNull(request.hasMemo(), request.getMemo()),
                PresentFields.orNull(request.hasSearchAttributes(), request.getSearchAttributes()),
                request.hasRetryPolicy() ? request.getRetryPolicy() : null, request.getCronSchedule(),
                request.getWorkflowExecutionTimeout(), request.getWorkflowRunTimeout(), request.getWorkflowTaskTimeout(),
                request.getWorkflowStartDelay(), request.getIdentity(), requestId);
        Consumer<Mutation> signal = m -> {
            m.appendOrBuffer(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                    e -> {
                        // Not copied by name: this request's `input` is the workflow's, not the signal's.
                        var signaled = e.getWorkflowExecutionSignaledEventAttributesBuilder()
                                .setSignalName(request.getSignalName())
                                .setIdentity(request.getIdentity())
                                .setRequestId(requestId);
                        if (request.hasSignalInput()) {
                            signaled.setInput(request.getSignalInput());
                        }
                        if (request.hasHeader()) {
                            signaled.setHeader(request.getHeader());
                        }
                    });
        };

        return engine.create(namespaceId, request.getWorkflowId(), current -> {
            boolean running = current.isPresent() && HistoryEngine.isRunning(current.get().status());
            if (running && request.getWorkflowIdConflictPolicy()
                    != WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING) {
                // A running run is signaled, whatever the reuse policy says: that is what signal-with-start is for.
                return new Creation<>(null, null, m -> {
                    signal.accept(m);
                    WorkflowTasks.needed(m);
                }, SignalWithStartWorkflowExecutionResponse.newBuilder().setRunId(current.get().runId())
                        .setStarted(false).build());
            }
            Decision decision = decide(request.getWorkflowId(), current, requestId, request.getWorkflowIdReusePolicy(),
                    request.getWorkflowIdConflictPolicy());
            ExecutionState state = NewRuns.state(namespaceId, request.getWorkflowId(), spec, null);
            return new Creation<>(state, m -> NewRuns.begin(m, spec,
                    withUserMetadata(request.hasUserMetadata(), request.getUserMetadata(), signal)),
                    decision == Decision.TERMINATE_AND_START ? terminatedByConflictPolicy(request.getIdentity()) : null,
                    SignalWithStartWorkflowExecutionResponse.newBuilder().setRunId(state.runId()).setStarted(true).build());
        });
    }

    /**
     * Starts a child run for a parent's StartChildWorkflowExecution. The request id names the parent's initiated
     * event, so doing it again after a crash finds the child already started instead of starting a second one.
     *
     * @return the child's run id
     */
    public String startChild(String namespaceId, io.temporal.api.history.v1.HistoryEvent initiated,
                      ParentRef parent) {
        return owners.onOwner(namespaceId, initiated.getStartChildWorkflowExecutionInitiatedEventAttributes()
                                .getWorkflowId(), "starts.child",
                        () -> PeerMessage.write().string(namespaceId).proto(initiated).string(parent.namespaceId())
                                .string(parent.namespace()).string(parent.workflowId()).string(parent.runId())
                                .number(parent.initiatedEventId()).string(parent.rootWorkflowId())
                                .string(parent.rootRunId()).done())
                .map(PeerMessage.Reader::string)
                .orElseGet(() -> startChildHere(namespaceId, initiated, parent));
    }

    private String startChildHere(String namespaceId, io.temporal.api.history.v1.HistoryEvent initiated,
                                  ParentRef parent) {
        var child = initiated.getStartChildWorkflowExecutionInitiatedEventAttributes();
        String requestId = parent.runId() + ":" + parent.initiatedEventId();
        RunSpec spec = RunSpec.builder(child.getWorkflowType().getName(), child.getTaskQueue().getName(), requestId)
                .input(PresentFields.orNull(child.hasInput(), child.getInput()))
                .header(PresentFields.orNull(child.hasHeader(), child.getHeader()))
                .memo(PresentFields.orNull(child.hasMemo(), child.getMemo()))
                .searchAttributes(PresentFields.orNull(child.hasSearchAttributes(), child.getSearchAttributes()))
                .retryPolicy(child.hasRetryPolicy()
                        && !child.getRetryPolicy().equals(io.temporal.api.common.v1.RetryPolicy.getDefaultInstance())
                        ? child.getRetryPolicy() : null)
                .cronSchedule(child.getCronSchedule())
                .timeouts(Durations.toMillis(child.getWorkflowExecutionTimeout()),
                        Durations.toMillis(child.getWorkflowRunTimeout()),
                        NewRuns.taskTimeoutMillis(child.getWorkflowTaskTimeout()))
                .build();
        return engine.create(namespaceId, child.getWorkflowId(), current -> {
            Decision decision = decide(child.getWorkflowId(), current, requestId, child.getWorkflowIdReusePolicy(),
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
            if (decision == Decision.SAME_REQUEST) {
                return Creation.answer(current.orElseThrow().runId());
            }
            ExecutionState state = NewRuns.state(namespaceId, child.getWorkflowId(), spec, parent);
            return Creation.start(state, m -> NewRuns.begin(m, spec,
                    withUserMetadata(initiated.hasUserMetadata(), initiated.getUserMetadata(), none())), state.runId());
        });
    }

    /** A client's start-time search attributes, against the namespace's registered types (INVALID_ARGUMENT). */
    private void checkSearchAttributes(String namespaceId, SearchAttributes attributes) {
        if (attributes.getIndexedFieldsCount() > 0) {
            Namespace namespace = namespaces.withId(namespaceId);
            SearchAttributeValidator.validate(attributes, namespace.name(), namespace.searchAttributeTypes());
            SearchAttributeValidator.validateSize(attributes);
        }
    }

    /** Checks a client's start options and turns them into the first run's spec. */
    private static RunSpec clientRun(String workflowId, io.temporal.api.common.v1.WorkflowType type,
                                             io.temporal.api.taskqueue.v1.TaskQueue taskQueue,
                                             io.temporal.api.common.v1.Payloads input, io.temporal.api.common.v1.Header header,
                                             io.temporal.api.common.v1.Memo memo,
                                             io.temporal.api.common.v1.SearchAttributes searchAttributes,
                                             io.temporal.api.common.v1.RetryPolicy retryPolicy, String cronSchedule,
                                             com.google.protobuf.Duration executionTimeout,
                                             com.google.protobuf.Duration runTimeout,
                                             com.google.protobuf.Duration taskTimeout,
                                             com.google.protobuf.Duration startDelay, String identity, String requestId) {
        validate(workflowId, type.getName(), taskQueue.getName());
        Validation.nonNegative("workflow_execution_timeout", executionTimeout);
        Validation.nonNegative("workflow_run_timeout", runTimeout);
        Validation.nonNegative("workflow_task_timeout", taskTimeout);
        Validation.nonNegative("workflow_start_delay", startDelay);
        Limits.checkRequest("input", input);
        return RunSpec.builder(type.getName(), taskQueue.getName(), requestId)
                .input(input).header(header).memo(memo).searchAttributes(searchAttributes).retryPolicy(retryPolicy)
                .cronSchedule(cronSchedule)
                .timeouts(Durations.toMillis(executionTimeout), Durations.toMillis(runTimeout),
                        NewRuns.taskTimeoutMillis(taskTimeout))
                .identity(identity)
                .backoffMillis(firstBackoff(startDelay, cronSchedule))
                .build();
    }

    /** What a start does given the workflow id's current run. */
    enum Decision { START, SAME_REQUEST, USE_EXISTING, TERMINATE_AND_START }

    /**
     * Temporal's rules: a running run is governed by the conflict policy (FAIL by default; the deprecated reuse
     * policy TERMINATE_IF_RUNNING means TERMINATE_EXISTING), a closed one by the reuse policy (ALLOW_DUPLICATE by
     * default).
     */
    static Decision decide(String workflowId, Optional<CurrentRun> current, String requestId,
                           WorkflowIdReusePolicy reuse, WorkflowIdConflictPolicy conflict) {
        if (current.isEmpty()) {
            return Decision.START;
        }
        CurrentRun run = current.get();
        if (run.startRequestId().equals(requestId)) {
            return Decision.SAME_REQUEST; // a retry of the request that started it: same answer
        }
        if (HistoryEngine.isRunning(run.status())) {
            if (conflict == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING) {
                return Decision.USE_EXISTING;
            }
            if (conflict == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING
                    || reuse == WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING) {
                return Decision.TERMINATE_AND_START;
            }
            throw ApiErrors.workflowAlreadyStarted(workflowId, run.runId(), run.startRequestId());
        }
        switch (reuse) {
            case WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE -> throw ApiErrors.workflowIdReuseRefused(
                    "Workflow execution already finished. WorkflowId: " + workflowId + ", RunId: " + run.runId()
                            + ". Workflow Id reuse policy: reject duplicate workflow Id.", run.runId(), run.startRequestId());
            case WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY -> {
                if (!UNSUCCESSFUL.contains(run.status())) {
                    throw ApiErrors.workflowIdReuseRefused("Workflow execution already finished successfully. "
                            + "WorkflowId: " + workflowId + ", RunId: " + run.runId() + ". Workflow Id reuse policy: "
                            + "allow duplicate workflow Id if last run failed.", run.runId(), run.startRequestId());
                }
                return Decision.START;
            }
            default -> {
                return Decision.START;
            }
        }
    }

    private static Consumer<Mutation> terminatedByConflictPolicy(String identity) {
        return m -> WorkflowLifecycle.terminateRun(m, "terminated by WorkflowIdConflictPolicy TERMINATE_EXISTING", null,
                identity);
    }

    /** A cron workflow's first run waits for the schedule's next time; a start delay waits as asked. */
    private static long firstBackoff(com.google.protobuf.Duration startDelay, String cronSchedule) {
        CronSchedules.validate(cronSchedule);
        long delay = Durations.toMillis(startDelay);
        return cronSchedule.isEmpty() ? delay
                : Math.max(delay, CronSchedules.backoffMillis(cronSchedule, System.currentTimeMillis()));
    }

    /**
     * Temporal records a start's user metadata (summary, details; a child's from its initiated event) on the
     * started event (the one just written when {@link NewRuns#begin} calls back), and describe answers it from there.
     */
    private static Consumer<Mutation> withUserMetadata(boolean present, io.temporal.api.sdk.v1.UserMetadata metadata,
                                                       Consumer<Mutation> beforeFirstTask) {
        return !present ? beforeFirstTask : m -> {
            m.setUserMetadata(m.eventCount() - 1, metadata);
            beforeFirstTask.accept(m);
        };
    }

    /**
     * The started event records the Nexus callers as Temporal does: the completion callbacks (with their links back
     * to each caller's scheduled event) and the request's links.
     */
    private static Consumer<Mutation> withCallers(StartWorkflowExecutionRequest request) {
        if (request.getCompletionCallbacksCount() == 0 && request.getLinksCount() == 0) {
            return none();
        }
        return m -> m.amendEvent(0, event -> {
            event.getWorkflowExecutionStartedEventAttributesBuilder()
                    .addAllCompletionCallbacks(request.getCompletionCallbacksList());
            event.addAllLinks(request.getLinksList());
        });
    }

    private static Consumer<Mutation> none() {
        return m -> { };
    }

    private static void validate(String workflowId, String workflowType, String taskQueue) {
        Validation.requireId("workflow_id", workflowId);
        Validation.requireId("workflow_type.name", workflowType);
        Validation.requireId("task_queue.name", taskQueue);
    }

    private static String requestId(String requested) {
        Validation.maxLength("request_id", requested);
        return requested.isEmpty() ? UUID.randomUUID().toString() : requested;
    }

    private static StartWorkflowExecutionResponse response(String runId, boolean started) {
        return StartWorkflowExecutionResponse.newBuilder().setRunId(runId).setStarted(started).build();
    }

    private static StartWorkflowExecutionResponse response(String runId, boolean started,
                                                           io.temporal.api.common.v1.Link link) {
        return StartWorkflowExecutionResponse.newBuilder().setRunId(runId).setStarted(started).setLink(link).build();
    }
}
