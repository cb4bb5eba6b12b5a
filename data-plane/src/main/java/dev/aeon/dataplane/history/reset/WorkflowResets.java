package dev.aeon.dataplane.history.reset;

import dev.aeon.dataplane.history.state.UserTimerInfo;
import dev.aeon.dataplane.history.state.ActivityInfo;
import dev.aeon.dataplane.history.state.WorkflowTaskState;
import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.engine.StateCodec;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.run.WorkflowLifecycle;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.state.WorkflowTaskInfo;
import dev.aeon.dataplane.history.engine.HistoryEngine.Creation;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ResetReapplyExcludeType;
import io.temporal.api.enums.v1.ResetReapplyType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.ResetWorkflowFailureInfo;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * ResetWorkflowExecution: a new run of the workflow id whose history is the base run's up to a workflow task, that
 * task failed with cause RESET_WORKFLOW, the signals and updates the base run received after that point re-applied,
 * and a new workflow task. The workflow id's running run is terminated in the same transition.
 */
@ApplicationScoped
public class WorkflowResets {

    /** Temporal's identities for what the server itself records in a reset. */
    static final String SERVER_IDENTITY = "history-service";
    static final String RESETTER_IDENTITY = "history-resetter";

    private static final Set<EventType> FINISH_EVENTS = EnumSet.of(
            EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);

    private final HistoryEngine engine;

    public WorkflowResets(HistoryEngine engine) {
        this.engine = engine;
    }

    public ResetWorkflowExecutionResponse reset(String namespaceId, ResetWorkflowExecutionRequest request) {
        String workflowId = request.getWorkflowExecution().getWorkflowId();
        Validation.requireId("workflow_execution.workflow_id", workflowId);
        String baseRunId = engine.resolveRunId(namespaceId, workflowId, request.getWorkflowExecution().getRunId());
        String requestId = request.getRequestId().isEmpty() ? UUID.randomUUID().toString() : request.getRequestId();
        boolean reapplySignals = request.getResetReapplyType() != ResetReapplyType.RESET_REAPPLY_TYPE_NONE
                && !request.getResetReapplyExcludeTypesList().contains(ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL);
        // As Temporal: the deprecated reapply type SIGNAL means signals only; unset means all that can be reapplied.
        boolean reapplyUpdates = request.getResetReapplyType() != ResetReapplyType.RESET_REAPPLY_TYPE_NONE
                && request.getResetReapplyType() != ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL
                && !request.getResetReapplyExcludeTypesList().contains(ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE);
        return engine.create(namespaceId, workflowId, current -> {
            StateCodec.CurrentRun currentRun = current.orElseThrow(() -> ApiErrors.workflowNotFound(workflowId, baseRunId));
            if (currentRun.startRequestId().equals(requestId)) {
                return Creation.answer(response(currentRun.runId())); // this reset happened already
            }
            ExecutionState base = engine.read(namespaceId, workflowId, baseRunId).state();
            long finishEventId = request.getWorkflowTaskFinishEventId();
            if (finishEventId <= 1 || finishEventId >= base.nextEventId()) {
                throw ApiErrors.invalidArgument("workflow_task_finish_event_id: must be greater than 1 and at most "
                        + (base.nextEventId() - 1) + ", the last event of run " + baseRunId + "; got " + finishEventId);
            }
            List<HistoryEvent> history = engine.events(base, 1, base.nextEventId());
            HistoryEvent finish = history.get((int) finishEventId - 1);
            if (!FINISH_EVENTS.contains(finish.getEventType())) {
                throw ApiErrors.invalidArgument("workflow_task_finish_event_id: event " + finishEventId + " is "
                        + finish.getEventType() + "; it must be a workflow task completed, failed, timed out or "
                        + "started event");
            }
            List<HistoryEvent> copied = history.subList(0, (int) finishEventId - 1);
            ExecutionState reset = StateRebuilder.rebuild(base, copied, requestId);
            if (reset.workflowTask() == null) {
                throw ApiErrors.invalidArgument("workflow_task_finish_event_id: event " + finishEventId
                        + " does not follow a scheduled or started workflow task");
            }
            List<HistoryEvent> reapplied = new ArrayList<>();
            if (reapplySignals || reapplyUpdates) {
                history.subList((int) finishEventId - 1, history.size()).stream()
                        .filter(e -> reapplySignals && e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
                                || reapplyUpdates && reappliedUpdate(e) != null)
                        .forEach(reapplied::add);
            }
            if (reapplySignals && base.runId().equals(currentRun.runId()) && base.isRunning()) {
                reapplied.addAll(bufferedSignals(base)); // written by the termination below, before they reach history
            }
            Consumer<Mutation> terminateCurrent = HistoryEngine.isRunning(currentRun.status())
                    ? m -> WorkflowLifecycle.terminateRun(m, request.getReason(), null, RESETTER_IDENTITY) : null;
            return new Creation<>(reset, m -> begin(m, copied, reapplied, baseRunId, request.getReason()),
                    terminateCurrent, response(reset.runId()));
        });
    }

    /**
     * The reset run's first transition: the copied history, the failed task, re-armed timers, the reapplied signals
     * and updates (updates as UpdateAdmitted events), a new task.
     */
    private static void begin(Mutation m, List<HistoryEvent> copied, List<HistoryEvent> reapplied, String baseRunId,
                              String reason) {
        ExecutionState state = m.state;
        if (state.searchAttributes() != null) {
            // Rebuilt from events, which hold names: the state keeps values by field. A name renamed since the
            // base run set it no longer maps and stays as it was (unindexed).
            state.keepSearchAttributes(m.searchAttributes.toFields(
                    dev.aeon.dataplane.history.state.StoredProtos.parse(state.searchAttributes(),
                            io.temporal.api.common.v1.SearchAttributes.parser())));
        }
        m.copyEvents(copied);
        WorkflowTaskInfo task = state.workflowTask();
        if (task.state() == WorkflowTaskState.SCHEDULED) {
            String requestId = UUID.randomUUID().toString();
            task.recordStart(state.runId(), m.now, requestId, SERVER_IDENTITY);
            task.startedAs(m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                    e -> e.getWorkflowTaskStartedEventAttributesBuilder()
                            .setScheduledEventId(task.scheduledEventId())
                            .setIdentity(SERVER_IDENTITY)
                            .setRequestId(requestId)).getEventId());
        }
        // The SDK learns its new run id from this event (new_run_id) and replays the copied history under it.
        m.append(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, e -> e.getWorkflowTaskFailedEventAttributesBuilder()
                .setScheduledEventId(task.scheduledEventId())
                .setStartedEventId(task.startedEventId())
                .setCause(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW)
                .setFailure(Failure.newBuilder().setMessage(reason)
                        .setResetWorkflowFailureInfo(ResetWorkflowFailureInfo.getDefaultInstance()))
                .setIdentity(SERVER_IDENTITY)
                .setBaseRunId(baseRunId)
                .setNewRunId(state.runId()));
        state.endWorkflowTask(WorkflowTaskState.FAILED);
        for (ActivityInfo activity : state.activities().values()) {
            activity.restartWait(m.now);
            Activities.dispatch(m, activity);
        }
        for (UserTimerInfo timer : state.timers().values()) {
            HistoryEvent started = copied.get((int) timer.startedEventId() - 1);
            long fireAt = Timestamps.toMillis(started.getEventTime())
                    + Durations.toMillis(started.getTimerStartedEventAttributes().getStartToFireTimeout());
            timer.rearm(m.armUserTimer(timer.timerId(), timer.startedEventId(), Math.max(fireAt, m.now)));
        }
        WorkflowLifecycle.armRunTimeout(m, 0);
        for (HistoryEvent event : reapplied) {
            io.temporal.api.update.v1.Request update = reappliedUpdate(event);
            if (update == null) {
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                        e -> e.setWorkflowExecutionSignaledEventAttributes(event.getWorkflowExecutionSignaledEventAttributes()));
                continue;
            }
            // The worker learns of a reapplied update from this event and accepts it as any other.
            HistoryEvent admitted = m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
                    e -> e.getWorkflowExecutionUpdateAdmittedEventAttributesBuilder().setRequest(update)
                            .setOrigin(io.temporal.api.enums.v1.UpdateAdmittedEventOrigin.UPDATE_ADMITTED_EVENT_ORIGIN_REAPPLY));
            state.admitUpdate(update.getMeta().getUpdateId(), admitted.getEventId());
        }
        WorkflowTasks.schedule(m);
    }

    /**
     * The update a base run's event brings to the reset run, as Temporal reapplies them: an admitted one, or an
     * accepted one that carries its request (one without it follows its admitted event, which is reapplied).
     */
    private static io.temporal.api.update.v1.Request reappliedUpdate(HistoryEvent event) {
        if (event.hasWorkflowExecutionUpdateAdmittedEventAttributes()) {
            return event.getWorkflowExecutionUpdateAdmittedEventAttributes().getRequest();
        }
        if (event.hasWorkflowExecutionUpdateAcceptedEventAttributes()
                && event.getWorkflowExecutionUpdateAcceptedEventAttributes().hasAcceptedRequest()) {
            return event.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest();
        }
        return null;
    }

    private static List<HistoryEvent> bufferedSignals(ExecutionState base) {
        List<HistoryEvent> signals = new ArrayList<>();
        for (byte[] bytes : base.bufferedEvents()) {
            try {
                HistoryEvent event = HistoryEvent.parseFrom(bytes);
                if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
                    signals.add(event);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("corrupt buffered event", e);
            }
        }
        return signals;
    }

    private static ResetWorkflowExecutionResponse response(String runId) {
        return ResetWorkflowExecutionResponse.newBuilder().setRunId(runId).build();
    }
}
