package dev.aeon.dataplane.schedule;

import dev.aeon.dataplane.cluster.PeerMessage;

import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.InternalTaskQueue;
import dev.aeon.dataplane.history.engine.TimerDispatcher;
import dev.aeon.dataplane.history.run.RunClose;
import dev.aeon.dataplane.history.run.WorkflowLifecycle;
import dev.aeon.dataplane.history.run.WorkflowStarts;
import dev.aeon.dataplane.history.state.CloseCallback;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.schedule.ScheduleState.Start;
import dev.aeon.dataplane.schedule.ScheduleState.Stop;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What happens to schedules between requests: their wake-up timers fire (due times are decided), their
 * SCHEDULE_ACTIONS tasks carry out what was decided (start workflows, cancel or terminate them), and the
 * workflows they started report their close (CLOSE_CALLBACK). Each task runs at least once; a start is made
 * idempotent by the request id fixed when it was decided, a stop by naming the run it stops.
 */
@ApplicationScoped
public class ScheduleTasks {

    private final HistoryEngine engine;
    private final WorkflowStarts starts;
    private final WorkflowLifecycle lifecycle;
    private final NamespaceRegistry namespaces;
    private final dev.aeon.dataplane.history.engine.OwnerCalls owners;

    public ScheduleTasks(HistoryEngine engine, InternalTaskQueue queue, TimerDispatcher timers, WorkflowStarts starts,
                         WorkflowLifecycle lifecycle, NamespaceRegistry namespaces,
                         dev.aeon.dataplane.history.engine.OwnerCalls owners) {
        this.engine = engine;
        this.owners = owners;
        owners.serve("schedule.closed", in -> {
            tellSchedule(new CloseCallback(in.string(), in.string()), in.string(), in.string(), (int) in.number(),
                    in.proto(HistoryEvent.parser()));
            return null;
        });
        this.starts = starts;
        this.lifecycle = lifecycle;
        this.namespaces = namespaces;
        timers.handle(TimerTask.Kind.SCHEDULE_WAKE, (m, timer) -> {
            boolean[] expired = {false};
            ScheduleTransitions.apply(m, ScheduleTransitions.scheduleId(m.state.workflowId()), scheduler -> {
                if (timer.ref().equals(scheduler.state().wakeTimer)) {
                    scheduler.state().wakeTimer = null; // deleted by the firing
                }
                scheduler.advance(m.now);
                expired[0] = scheduler.expired(m.now);
            });
            if (expired[0]) {
                // Temporal's scheduler workflow returns: the run completes, and the schedule is gone
                m.completeTimer(ScheduleState.decode(m.state.schedule()).wakeTimer);
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
                        e -> e.getWorkflowExecutionCompletedEventAttributesBuilder());
                RunClose.close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
            }
        });
        queue.onTask(Set.of(DispatchTask.Kind.SCHEDULE_ACTIONS), this::carryOut, engine.executor());
        queue.onTask(Set.of(DispatchTask.Kind.CLOSE_CALLBACK), this::reportClose, engine.executor());
    }

    /** Created before the engine reloads pending tasks and timers, so none finds no handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    /** What a SCHEDULE_ACTIONS task reads of its schedule, under the run's lock. */
    private record Decided(String namespaceId, String scheduleId, String runId, boolean open, Schedule schedule,
                           List<Start> starting, List<Stop> stopping, Set<String> tracked,
                           byte[] lastCompletionResult, byte[] continuedFailure) {
    }

    private record Outcome(String requestId, String runId, long atMillis) {
    }

    void carryOut(DispatchTask task) {
        Decided decided;
        try {
            decided = engine.inspect(task.namespaceId(), task.workflowId(), task.runId(), this::decided);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            engine.deleteTask(task); // the scheduler run is gone
            return;
        }
        List<Outcome> outcomes = new ArrayList<>();
        List<Stop> stopped = new ArrayList<>();
        if (decided.open()) {
            for (Start start : decided.starting()) {
                outcomes.add(start(decided, start));
            }
            for (Stop stop : decided.stopping()) {
                stop(decided, stop);
                stopped.add(stop);
            }
        }
        engine.update(task.namespaceId(), task.workflowId(), task.runId(), m -> {
            ScheduleTransitions.apply(m, decided.scheduleId(), scheduler -> {
                scheduler.state().actionsTaskId = 0; // this task; a new one follows if more was decided meanwhile
                for (Outcome outcome : outcomes) {
                    if (outcome.runId() == null) {
                        scheduler.startRefused(outcome.requestId());
                    } else {
                        scheduler.started(outcome.requestId(), outcome.runId(), outcome.atMillis());
                    }
                }
                stopped.forEach(scheduler::stopped);
            });
            m.completeTransferTask(task.taskId());
            return null;
        });
    }

    private Decided decided(ExecutionState run) {
        String scheduleId = ScheduleTransitions.scheduleId(run.workflowId());
        if (run.schedule() == null) {
            return new Decided(run.namespaceId(), scheduleId, run.runId(), false, null, List.of(), List.of(), Set.of(),
                    null, null);
        }
        ScheduleState state = ScheduleState.decode(run.schedule());
        Set<String> tracked = new java.util.HashSet<>();
        state.running.forEach(action -> tracked.add(action.workflowId()));
        return new Decided(run.namespaceId(), scheduleId, run.runId(), run.isRunning(), Scheduler.parse(state.schedule),
                List.copyOf(state.starting), List.copyOf(state.stopping), tracked, state.lastCompletionResult,
                state.continuedFailure);
    }

    /**
     * Temporal's scheduler's start: the action's workflow under its timestamped id, with the two attributes that
     * say which schedule started it for which time; REJECT_DUPLICATE for scheduled times, ALLOW_DUPLICATE for
     * triggered and backfilled ones. An id in use refuses the start, which is then dropped.
     */
    private Outcome start(Decided decided, Start start) {
        NewWorkflowExecutionInfo action = decided.schedule().getAction().getStartWorkflow();
        String namespace = namespaces.byId(decided.namespaceId()).getNamespaceInfo().getName();
        String nominal = Instant.ofEpochMilli(start.nominalMillis()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        SearchAttributes attributes = action.getSearchAttributes().toBuilder()
                .putIndexedFields("TemporalScheduledStartTime",
                        ScheduleTransitions.json("\"" + nominal + "\"", "Datetime"))
                .putIndexedFields("TemporalScheduledById", ScheduleTransitions.keyword(decided.scheduleId()))
                .build();
        StartWorkflowExecutionRequest.Builder request = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowId(start.workflowId())
                .setWorkflowType(action.getWorkflowType())
                .setTaskQueue(action.getTaskQueue())
                .setWorkflowExecutionTimeout(action.getWorkflowExecutionTimeout())
                .setWorkflowRunTimeout(action.getWorkflowRunTimeout())
                .setWorkflowTaskTimeout(action.getWorkflowTaskTimeout())
                .setIdentity("temporal-scheduler-" + namespace + "-" + decided.scheduleId())
                .setRequestId(start.requestId())
                .setWorkflowIdReusePolicy(start.manual() ? WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
                        : WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setSearchAttributes(attributes);
        if (action.hasInput()) {
            request.setInput(action.getInput());
        }
        if (action.hasRetryPolicy()) {
            request.setRetryPolicy(action.getRetryPolicy());
        }
        if (action.hasMemo()) {
            request.setMemo(action.getMemo());
        }
        if (action.hasHeader()) {
            request.setHeader(action.getHeader());
        }
        if (action.hasUserMetadata()) {
            request.setUserMetadata(action.getUserMetadata());
        }
        if (decided.tracked().contains(start.workflowId())) {
            // only the runs the overlap policy follows hand on results, as in Temporal
            if (decided.lastCompletionResult() != null) {
                request.setLastCompletionResult(parse(decided.lastCompletionResult(), Payloads.parser()));
            }
            if (decided.continuedFailure() != null) {
                request.setContinuedFailure(parse(decided.continuedFailure(), Failure.parser()));
            }
        }
        try {
            String runId = starts.startScheduled(decided.namespaceId(), request.build(),
                    new CloseCallback(decided.namespaceId(), Scheduler.WORKFLOW_ID_PREFIX + decided.scheduleId()))
                    .getRunId();
            return new Outcome(start.requestId(), runId, System.currentTimeMillis());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS
                    || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                // the id is in use, or the action cannot start (an attribute since removed): Temporal drops it
                return new Outcome(start.requestId(), null, System.currentTimeMillis());
            }
            throw e;
        }
    }

    private void stop(Decided decided, Stop stop) {
        WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId(stop.workflowId()).build();
        try {
            if (stop.terminate()) {
                lifecycle.terminate(decided.namespaceId(), TerminateWorkflowExecutionRequest.newBuilder()
                        .setWorkflowExecution(execution).setFirstExecutionRunId(stop.runId())
                        .setReason("terminated by schedule overlap policy")
                        .setIdentity("temporal-scheduler-" + decided.scheduleId()).build());
            } else {
                lifecycle.requestCancel(decided.namespaceId(), RequestCancelWorkflowExecutionRequest.newBuilder()
                        .setWorkflowExecution(execution).setFirstExecutionRunId(stop.runId())
                        .setReason("cancelled by schedule overlap policy")
                        .setIdentity("temporal-scheduler-" + decided.scheduleId())
                        .setRequestId(decided.runId() + "-cancel-" + stop.workflowId()).build());
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e; // NOT_FOUND: it closed already
            }
        }
    }

    /** A workflow a schedule started closed: the schedule learns how, then the closed run's task is done. */
    void reportClose(DispatchTask task) {
        java.util.Optional<ExecutionState> found = engine.find(task.namespaceId(), task.workflowId(), task.runId());
        if (found.isEmpty()) {
            engine.deleteTask(task);
            return;
        }
        ExecutionState closed = found.get();
        CloseCallback callback = closed.closeCallback();
        HistoryEvent close = engine.events(closed, closed.nextEventId() - 1, closed.nextEventId()).get(0);
        if (owners.onOwner(callback.namespaceId(), callback.workflowId(), "schedule.closed",
                () -> PeerMessage.write().string(callback.namespaceId()).string(callback.workflowId())
                        .string(closed.workflowId()).string(closed.firstRunId()).number(closed.status()).proto(close)
                        .done()).isEmpty()) {
            tellSchedule(callback, closed.workflowId(), closed.firstRunId(), closed.status(), close);
        }
        engine.update(task.namespaceId(), task.workflowId(), task.runId(), m -> {
            m.completeTransferTask(task.taskId());
            return null;
        });
    }

    /** The schedule's half of {@link #reportClose}, on the node that owns the schedule's shard. */
    private void tellSchedule(CloseCallback callback, String workflowId, String firstRunId, int closedStatus,
                              HistoryEvent close) {
        WorkflowExecutionStatus status = WorkflowExecutionStatus.forNumber(closedStatus);
        Payloads result = close.hasWorkflowExecutionCompletedEventAttributes()
                && close.getWorkflowExecutionCompletedEventAttributes().hasResult()
                ? close.getWorkflowExecutionCompletedEventAttributes().getResult() : null;
        Failure failure = close.hasWorkflowExecutionFailedEventAttributes()
                ? close.getWorkflowExecutionFailedEventAttributes().getFailure() : null;
        onSchedule(callback, m -> ScheduleTransitions.apply(m, ScheduleTransitions.scheduleId(callback.workflowId()),
                scheduler -> scheduler.closed(workflowId, firstRunId, status, result, failure, m.now)));
    }

    /** Changes the schedule's current scheduler run; nothing if the schedule is gone. */
    private void onSchedule(CloseCallback callback, Consumer<dev.aeon.dataplane.history.engine.Mutation> change) {
        try {
            String runId = engine.resolveRunId(callback.namespaceId(), callback.workflowId(), "");
            engine.update(callback.namespaceId(), callback.workflowId(), runId, m -> {
                change.accept(m);
                return null;
            });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw ApiErrors.internal("corrupt schedule state");
        }
    }
}
