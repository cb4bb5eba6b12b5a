package dev.aeon.dataplane.history.update;

import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.run.WorkflowStarts;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.workflowtask.TaskMessages;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aeon.dataplane.errors.ApiErrors;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.protocol.v1.Message;
import io.temporal.api.update.v1.Acceptance;
import io.temporal.api.update.v1.Outcome;
import io.temporal.api.update.v1.Rejection;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.Response;
import io.temporal.api.update.v1.UpdateRef;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateResponse;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import java.util.concurrent.TimeoutException;

/**
 * Workflow updates: a request travels to the worker as a protocol message in a workflow task; the worker's
 * validator rejects it (nothing about it reaches history) or accepts it (an accepted event), and its handler's
 * outcome is recorded in a completed event. Requests not yet accepted live in memory, as in Temporal; accepted
 * and completed updates are in the run's state, so callers waiting on them survive a restart.
 */
@ApplicationScoped
public class Updates implements TaskMessages {

    /** An update admitted but not accepted yet: its request, and the rejection if the validator refused it. */
    private static final class Pending {
        final Request request;
        final CompletableFuture<Failure> rejected = new CompletableFuture<>();

        Pending(Request request) {
            this.request = request;
        }
    }

    /** Temporal's history.maxInFlightUpdates: updates admitted or accepted and not completed, per run. */
    static final int MAX_IN_FLIGHT = 10;

    private final HistoryEngine engine;
    private final WorkflowStarts starts;
    private final Map<String, Map<String, Pending>> pendingByRun = new ConcurrentHashMap<>();

    public Updates(HistoryEngine engine, WorkflowStarts starts) {
        this.engine = engine;
        this.starts = starts;
    }

    /**
     * Update-with-start (ExecuteMultiOperation): start the workflow, or use the running one as its conflict policy
     * says, then send it the update.
     */
    public CompletableFuture<io.temporal.api.workflowservice.v1.ExecuteMultiOperationResponse> updateWithStart(
            String namespaceId, io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest request, Duration maxWait,
            CompletableFuture<Void> callerGone) {
        if (request.getOperationsCount() != 2 || !request.getOperations(0).hasStartWorkflow()
                || !request.getOperations(1).hasUpdateWorkflow()) {
            throw ApiErrors.invalidArgument("operations: must be exactly a StartWorkflow then an UpdateWorkflow operation");
        }
        var start = request.getOperations(0).getStartWorkflow();
        var update = request.getOperations(1).getUpdateWorkflow();
        if (!start.getWorkflowId().equals(update.getWorkflowExecution().getWorkflowId())) {
            throw ApiErrors.invalidArgument("operations: the update's workflow_execution.workflow_id must be the start's "
                    + "workflow_id");
        }
        if (!update.getWorkflowExecution().getRunId().isEmpty()) {
            throw ApiErrors.invalidArgument("operations[1].workflow_execution.run_id: must be empty with update-with-start");
        }
        if (!start.getCronSchedule().isEmpty() || start.hasWorkflowStartDelay()) {
            throw ApiErrors.invalidArgument("operations[0]: cron_schedule and workflow_start_delay are not allowed with "
                    + "update-with-start");
        }
        Request admitted = withUpdateId(update.getRequest());
        String updateId = admitted.getMeta().getUpdateId();
        // Temporal admits the update in the start's own transaction, so the run's first workflow task carries it.
        // Here it is admitted (in memory) for the new run before that run commits, so no poll can take the first
        // task without it.
        List<String> prepared = new java.util.ArrayList<>();
        StartWorkflowExecutionResponse started;
        try {
            started = starts.start(namespaceId, start, runId -> {
                prepared.add(runId);
                pending(runId).putIfAbsent(updateId, new Pending(admitted));
            });
        } catch (RuntimeException e) {
            prepared.forEach(pendingByRun::remove);
            throw e;
        }
        prepared.stream().filter(runId -> !runId.equals(started.getRunId())).forEach(pendingByRun::remove);
        var target = update.toBuilder().setRequest(admitted).setWorkflowExecution(update.getWorkflowExecution()
                .toBuilder().setRunId(started.getRunId())).build();
        return update(namespaceId, target, maxWait, callerGone).thenApply(updated ->
                io.temporal.api.workflowservice.v1.ExecuteMultiOperationResponse.newBuilder()
                        .addResponses(io.temporal.api.workflowservice.v1.ExecuteMultiOperationResponse.Response.newBuilder()
                                .setStartWorkflow(started))
                        .addResponses(io.temporal.api.workflowservice.v1.ExecuteMultiOperationResponse.Response.newBuilder()
                                .setUpdateWorkflow(updated))
                        .build());
    }

    /**
     * Admits an update and waits for the stage the request asks for, at most {@code maxWait}, or until
     * {@code callerGone} completes (the caller went away: nothing waits on its behalf any more).
     */
    public CompletableFuture<UpdateWorkflowExecutionResponse> update(String namespaceId,
                                                                     UpdateWorkflowExecutionRequest request,
                                                                     Duration maxWait,
                                                                     CompletableFuture<Void> callerGone) {
        String workflowId = request.getWorkflowExecution().getWorkflowId();
        Validation.requireId("workflow_execution.workflow_id", workflowId);
        Validation.requireId("request.input.name", request.getRequest().getInput().getName());
        Request update = withUpdateId(request.getRequest());
        String updateId = update.getMeta().getUpdateId();
        String runId = engine.resolveRunId(namespaceId, workflowId, request.getWorkflowExecution().getRunId());
        ExecutionState state = engine.read(namespaceId, workflowId, runId).state();
        boolean known = state.completedUpdates().containsKey(updateId) || state.acceptedUpdates().containsKey(updateId)
                || state.admittedUpdates().containsKey(updateId) || pendingUpdate(runId, updateId) != null;
        if (!known) {
            if (!state.isRunning()) {
                throw ApiErrors.notFound("workflow execution already completed");
            }
            synchronized (pending(runId)) {
                long inFlight = state.acceptedUpdates().size() + pending(runId).values().stream()
                        .filter(p -> !p.rejected.isDone()).count();
                if (inFlight >= MAX_IN_FLIGHT) {
                    throw ApiErrors.concurrentLimit("limit on number of concurrent in-flight updates has been reached ("
                            + MAX_IN_FLIGHT + ")");
                }
                pending(runId).putIfAbsent(updateId, new Pending(update));
            }
            // The worker learns of the update in its next workflow task: make sure there is one. A task made just
            // for it is speculative, so a rejected update leaves history as it was. As in Temporal, it does not wait
            // for a start delay (or any first-task backoff) to end: the run's first task comes now, with the update.
            engine.update(namespaceId, workflowId, runId, m -> {
                if (m.state.workflowTask() == null) {
                    WorkflowTasks.scheduleSpeculative(m);
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        return await(namespaceId, workflowId, runId, updateId, stage(request.getWaitPolicy().getLifecycleStage()), deadline,
                callerGone, pendingUpdate(runId, updateId))
                .thenApply(result -> UpdateWorkflowExecutionResponse.newBuilder()
                        .setUpdateRef(result.ref()).setStage(result.stage())
                        .setOutcome(result.outcome() == null ? Outcome.getDefaultInstance() : result.outcome()).build());
    }

    public CompletableFuture<PollWorkflowExecutionUpdateResponse> poll(String namespaceId,
                                                                       PollWorkflowExecutionUpdateRequest request,
                                                                       Duration maxWait,
                                                                       CompletableFuture<Void> callerGone) {
        UpdateRef ref = request.getUpdateRef();
        Validation.requireId("update_ref.update_id", ref.getUpdateId());
        String runId = engine.resolveRunId(namespaceId, ref.getWorkflowExecution().getWorkflowId(), ref.getWorkflowExecution().getRunId());
        ExecutionState state = engine.read(namespaceId, ref.getWorkflowExecution().getWorkflowId(), runId).state();
        if (!state.completedUpdates().containsKey(ref.getUpdateId()) && !state.acceptedUpdates().containsKey(ref.getUpdateId())
                && pendingUpdate(runId, ref.getUpdateId()) == null) {
            throw ApiErrors.notFound("update " + ref.getUpdateId() + " not found");
        }
        return await(namespaceId, ref.getWorkflowExecution().getWorkflowId(), runId, ref.getUpdateId(),
                stage(request.getWaitPolicy().getLifecycleStage()), System.nanoTime() + maxWait.toNanos(), callerGone,
                pendingUpdate(runId, ref.getUpdateId()))
                .thenApply(result -> {
                    var response = PollWorkflowExecutionUpdateResponse.newBuilder().setUpdateRef(result.ref())
                            .setStage(result.stage());
                    if (result.outcome() != null) {
                        response.setOutcome(result.outcome());
                    }
                    return response.build();
                });
    }

    private record Progress(UpdateRef ref, UpdateWorkflowExecutionLifecycleStage stage, Outcome outcome) {
    }

    /**
     * Waits until the update reached {@code wanted} (or was rejected, or the deadline came, or the caller went
     * away), then says where it is. {@code admitted} is the update while it is admitted: a rejection forgets it
     * at once, and its waiters still read the rejection from it.
     */
    private CompletableFuture<Progress> await(String namespaceId, String workflowId, String runId, String updateId,
                                              UpdateWorkflowExecutionLifecycleStage wanted, long deadline,
                                              CompletableFuture<Void> callerGone, Pending admitted) {
        return CompletableFuture.supplyAsync(() -> {
            HistoryEngine.Watched<ExecutionState> watched = engine.watch(namespaceId, workflowId, runId,
                    HistoryEngine::copyOf);
            CompletableFuture<Void> change = watched.nextChange();
            ExecutionState state = watched.view();
            UpdateRef ref = UpdateRef.newBuilder().setUpdateId(updateId)
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId)).build();
            Pending pending = admitted != null ? admitted : pendingUpdate(runId, updateId);
            Progress now = progress(state, ref, pending);
            long remaining = deadline - System.nanoTime();
            if (callerGone.isDone()) {
                engine.forgetWaiter(runId, change);
                return CompletableFuture.completedFuture(now);
            }
            boolean reached = now.stage() == UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED
                    || now.stage().getNumber() >= wanted.getNumber();
            if (reached || remaining <= 0 || (!state.isRunning() && now.stage()
                    != UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED)) {
                engine.forgetWaiter(runId, change);
                if (!state.isRunning() && !reached && now.outcome() == null
                        && now.stage() != UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED) {
                    forget(runId, updateId);
                    throw ApiErrors.notFound("workflow execution already completed");
                }
                return CompletableFuture.completedFuture(now);
            }
            CompletableFuture<Object> woken = pending == null ? CompletableFuture.anyOf(change, callerGone)
                    : CompletableFuture.anyOf(change, pending.rejected, callerGone);
            return woken.orTimeout(remaining, TimeUnit.NANOSECONDS)
                    .handleAsync((v, error) -> {
                        engine.forgetWaiter(runId, change);
                        if (error instanceof TimeoutException || (error != null && error.getCause() instanceof TimeoutException)) {
                            return CompletableFuture.completedFuture(now);
                        }
                        return await(namespaceId, workflowId, runId, updateId, wanted, deadline, callerGone, pending);
                    }, engine.executor())
                    .thenCompose(f -> f);
        }, engine.executor()).thenCompose(f -> f);
    }

    private Progress progress(ExecutionState state, UpdateRef ref, Pending pending) {
        Long completedEventId = state.completedUpdates().get(ref.getUpdateId());
        if (completedEventId != null) {
            HistoryEvent completed = engine.events(state, completedEventId, completedEventId + 1).get(0);
            return new Progress(ref, UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
                    completed.getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome());
        }
        if (pending != null && pending.rejected.isDone()) {
            forget(state.runId(), ref.getUpdateId());
            return new Progress(ref, UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
                    Outcome.newBuilder().setFailure(pending.rejected.join()).build());
        }
        if (state.acceptedUpdates().containsKey(ref.getUpdateId())) {
            return new Progress(ref, UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED, null);
        }
        return new Progress(ref, UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED, null);
    }

    /** Requests to hand to the worker with a workflow task that started at {@code startedEventId}. */
    @Override
    public List<Message> forTask(String runId, long startedEventId) {
        List<Message> messages = new ArrayList<>();
        Map<String, Pending> pending = pendingByRun.get(runId);
        if (pending == null) {
            return messages; // the usual case: no update waits, and no map is made for the run
        }
        synchronized (pending) {
            for (Pending update : pending.values()) {
                if (!update.rejected.isDone()) {
                    messages.add(Message.newBuilder()
                            .setId(update.request.getMeta().getUpdateId() + "/request")
                            .setProtocolInstanceId(update.request.getMeta().getUpdateId())
                            .setEventId(startedEventId - 1)
                            .setBody(Any.pack(update.request))
                            .build());
                }
            }
        }
        return messages;
    }

    /** Whether updates other than {@code answered} still wait for a workflow task to deliver them. */
    public boolean anyWaiting(String runId, java.util.Set<String> answered) {
        Map<String, Pending> pending = pendingByRun.get(runId);
        if (pending == null) {
            return false;
        }
        synchronized (pending) {
            return pending.entrySet().stream().anyMatch(e -> !e.getValue().rejected.isDone()
                    && !answered.contains(e.getKey()));
        }
    }

    /** Applies one protocol message from a completed workflow task, recording its event where the worker placed it. */
    public String apply(Mutation m, Message message) {
        try {
            Any body = message.getBody();
            if (body.is(Acceptance.class)) {
                Acceptance acceptance = body.unpack(Acceptance.class);
                String updateId = acceptance.getAcceptedRequest().getMeta().getUpdateId().isEmpty()
                        ? message.getProtocolInstanceId() : acceptance.getAcceptedRequest().getMeta().getUpdateId();
                Pending admitted = pendingUpdate(m.state.runId(), updateId);
                // An update admitted in history has its request there: as Temporal, the accepted event leaves it out.
                boolean inHistory = m.state.admittedUpdates().containsKey(updateId);
                if (!acceptance.hasAcceptedRequest() && admitted == null && !inHistory) {
                    throw new CommandRejected(io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
                            "acceptance of unknown update " + updateId);
                }
                Request request = inHistory ? null
                        : acceptance.hasAcceptedRequest() ? acceptance.getAcceptedRequest() : admitted.request;
                HistoryEvent accepted = m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, e -> {
                    var attributes = e.getWorkflowExecutionUpdateAcceptedEventAttributesBuilder()
                            .setProtocolInstanceId(updateId)
                            .setAcceptedRequestMessageId(acceptance.getAcceptedRequestMessageId())
                            .setAcceptedRequestSequencingEventId(acceptance.getAcceptedRequestSequencingEventId());
                    if (request != null) {
                        attributes.setAcceptedRequest(request);
                    }
                });
                m.state.acceptUpdate(updateId, accepted.getEventId());
                m.afterCommit(() -> forget(m.state.runId(), updateId));
                return updateId;
            } else if (body.is(Response.class)) {
                Response response = body.unpack(Response.class);
                String updateId = response.getMeta().getUpdateId();
                Long acceptedEventId = m.state.acceptedUpdates().get(updateId);
                if (acceptedEventId == null) {
                    throw new CommandRejected(io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
                            "update " + updateId + " was not accepted before its response");
                }
                HistoryEvent completed = m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
                        e -> e.getWorkflowExecutionUpdateCompletedEventAttributesBuilder()
                                .setMeta(response.getMeta())
                                .setAcceptedEventId(acceptedEventId)
                                .setOutcome(response.getOutcome()));
                m.state.completeUpdate(updateId, completed.getEventId());
                return updateId;
            } else if (body.is(Rejection.class)) {
                Rejection rejection = body.unpack(Rejection.class);
                String updateId = rejection.getRejectedRequest().getMeta().getUpdateId().isEmpty()
                        ? message.getProtocolInstanceId() : rejection.getRejectedRequest().getMeta().getUpdateId();
                if (m.state.dropAdmittedUpdate(updateId)) {
                    m.touch();
                }
                m.afterCommit(() -> {
                    // Waiters hold the update and read the rejection from it; nothing else keeps it.
                    Pending pending = pendingUpdate(m.state.runId(), updateId);
                    if (pending != null) {
                        pending.rejected.complete(rejection.getFailure());
                        forget(m.state.runId(), updateId);
                    }
                });
                return updateId;
            } else {
                throw new CommandRejected(io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
                        "unknown protocol message " + body.getTypeUrl());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new CommandRejected(io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
                    "malformed protocol message: " + e.getMessage());
        }
    }

    /** The request with its update id, one made up when the caller left it empty. */
    private static Request withUpdateId(Request request) {
        return request.getMeta().getUpdateId().isEmpty()
                ? request.toBuilder().setMeta(request.getMeta().toBuilder().setUpdateId(UUID.randomUUID().toString()))
                .build()
                : request;
    }

    private Pending pendingUpdate(String runId, String updateId) {
        Map<String, Pending> pending = pendingByRun.get(runId);
        return pending == null ? null : pending.get(updateId);
    }

    private Map<String, Pending> pending(String runId) {
        return pendingByRun.computeIfAbsent(runId, id -> java.util.Collections.synchronizedMap(new LinkedHashMap<>()));
    }

    private void forget(String runId, String updateId) {
        Map<String, Pending> pending = pendingByRun.get(runId);
        if (pending != null) {
            pending.remove(updateId);
            if (pending.isEmpty()) {
                pendingByRun.remove(runId, pending);
            }
        }
    }

    private static UpdateWorkflowExecutionLifecycleStage stage(UpdateWorkflowExecutionLifecycleStage requested) {
        return requested == UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED
                ? UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED : requested;
    }
}
