package dev.aeon.dataplane.schedule;

import com.google.protobuf.util.Timestamps;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.StoredProtos;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.schedule.ScheduleState.Action;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleActionResult;
import io.temporal.api.schedule.v1.ScheduleInfo;
import io.temporal.api.schedule.v1.ScheduleListEntry;
import io.temporal.api.schedule.v1.ScheduleListInfo;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;

import java.util.List;
import java.util.Set;

/** What DescribeSchedule and ListSchedules show of a schedule, as Temporal shows it. */
final class ScheduleViews {

    /** Kept on the scheduler run for the system's own use, never shown as the schedule's attributes. */
    private static final Set<String> HIDDEN_ATTRIBUTES = Set.of(ScheduleTransitions.PAUSED_ATTRIBUTE,
            "TemporalScheduleInfoJSON", "BinaryChecksums", "BuildIds", ScheduleTransitions.DIVISION_ATTRIBUTE);
    private static final int LIST_ACTIONS = 5;
    /** Temporal cuts each list of a listed spec to its first 10 entries. */
    private static final int LIST_SPEC_ENTRIES = 10;

    private ScheduleViews() {
    }

    static DescribeScheduleResponse describe(Scheduler scheduler, ExecutionState run, Namespace namespace) {
        ScheduleState state = scheduler.state();
        ScheduleInfo.Builder info = ScheduleInfo.newBuilder()
                .setActionCount(state.actionCount)
                .setMissedCatchupWindow(state.missedCatchupWindow)
                .setOverlapSkipped(state.overlapSkipped)
                .setBufferDropped(state.bufferDropped)
                .setBufferSize(state.buffer.size())
                .setCreateTime(Timestamps.fromMillis(state.createTimeMillis));
        if (state.updateTimeMillis > 0) {
            info.setUpdateTime(Timestamps.fromMillis(state.updateTimeMillis));
        }
        state.running.stream().filter(action -> action.runId() != null)
                .forEach(action -> info.addRunningWorkflows(execution(action)));
        state.recent.forEach(action -> info.addRecentActions(result(action)));
        scheduler.futureActionTimes(Scheduler.FUTURE_ACTIONS)
                .forEach(t -> info.addFutureActionTimes(Timestamps.fromMillis(t.toEpochMilli())));
        DescribeScheduleResponse.Builder response = DescribeScheduleResponse.newBuilder()
                .setSchedule(scheduler.schedule())
                .setInfo(info)
                .setConflictToken(ScheduleState.token(state.conflictToken));
        Memo memo = StoredProtos.parse(run.memo(), Memo.parser());
        if (memo != null && memo.getFieldsCount() > 0) {
            response.setMemo(memo);
        }
        SearchAttributes attributes = ownAttributes(run, namespace);
        if (attributes.getIndexedFieldsCount() > 0) {
            response.setSearchAttributes(attributes);
        }
        return response.build();
    }

    static ScheduleListEntry listEntry(String scheduleId, Scheduler scheduler, ExecutionState run, Namespace namespace) {
        Schedule schedule = scheduler.schedule();
        ScheduleListInfo.Builder info = ScheduleListInfo.newBuilder()
                .setSpec(listedSpec(schedule.getSpec()))
                .setNotes(schedule.getState().getNotes())
                .setPaused(schedule.getState().getPaused());
        if (schedule.getAction().hasStartWorkflow()) {
            info.setWorkflowType(schedule.getAction().getStartWorkflow().getWorkflowType());
        }
        List<Action> recent = scheduler.state().recent;
        recent.subList(Math.max(0, recent.size() - LIST_ACTIONS), recent.size())
                .forEach(action -> info.addRecentActions(result(action)));
        scheduler.futureActionTimes(LIST_ACTIONS)
                .forEach(t -> info.addFutureActionTimes(Timestamps.fromMillis(t.toEpochMilli())));
        ScheduleListEntry.Builder entry = ScheduleListEntry.newBuilder().setScheduleId(scheduleId).setInfo(info);
        Memo memo = StoredProtos.parse(run.memo(), Memo.parser());
        if (memo != null && memo.getFieldsCount() > 0) {
            entry.setMemo(memo);
        }
        SearchAttributes attributes = ownAttributes(run, namespace);
        if (attributes.getIndexedFieldsCount() > 0) {
            entry.setSearchAttributes(attributes);
        }
        return entry.build();
    }

    /** Temporal's {@code getListInfo}: no time zone data, each list cut to its first 10 entries. */
    private static ScheduleSpec listedSpec(ScheduleSpec spec) {
        ScheduleSpec.Builder listed = spec.toBuilder().clearTimezoneData()
                .clearStructuredCalendar().clearExcludeStructuredCalendar().clearInterval();
        listed.addAllStructuredCalendar(head(spec.getStructuredCalendarList()));
        listed.addAllExcludeStructuredCalendar(head(spec.getExcludeStructuredCalendarList()));
        listed.addAllInterval(head(spec.getIntervalList()));
        return listed.build();
    }

    private static <T> List<T> head(List<T> list) {
        return list.subList(0, Math.min(list.size(), LIST_SPEC_ENTRIES));
    }

    /** The schedule's own attributes, under the names the namespace gives them now. */
    private static SearchAttributes ownAttributes(ExecutionState run, Namespace namespace) {
        SearchAttributes stored = StoredProtos.parse(run.searchAttributes(), SearchAttributes.parser());
        if (stored == null) {
            return SearchAttributes.getDefaultInstance();
        }
        SearchAttributes.Builder own = namespace.customSearchAttributes().toNames(stored).toBuilder();
        HIDDEN_ATTRIBUTES.forEach(own::removeIndexedFields);
        return own.build();
    }

    private static ScheduleActionResult result(Action action) {
        return ScheduleActionResult.newBuilder()
                .setScheduleTime(Timestamps.fromMillis(action.scheduleTimeMillis()))
                .setActualTime(Timestamps.fromMillis(action.actualTimeMillis()))
                .setStartWorkflowResult(execution(action))
                .setStartWorkflowStatus(WorkflowExecutionStatus.forNumber(action.status()))
                .build();
    }

    private static WorkflowExecution execution(Action action) {
        return WorkflowExecution.newBuilder().setWorkflowId(action.workflowId())
                .setRunId(action.runId() == null ? "" : action.runId()).build();
    }
}
