package dev.aeon.dataplane.history.command;

import dev.aeon.dataplane.history.state.StoredProtos;
import dev.aeon.dataplane.history.activity.ActivityCommands;
import dev.aeon.dataplane.history.crossworkflow.CrossWorkflowCommands;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.nexusoperation.NexusOperationCommands;
import dev.aeon.dataplane.history.run.ContinueAsNew;
import dev.aeon.dataplane.history.run.RunClose;
import dev.aeon.dataplane.history.timer.UserTimers;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.run.RunChains;
import dev.aeon.dataplane.history.run.SearchAttributeChecks;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.temporal.api.command.v1.Command;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies a workflow task's commands to the run: each goes to the lifecycle it belongs to, which records its
 * events, timers and tasks in the mutation; the few that change only the run's own record are applied here. A
 * command that breaks a rule throws {@link CommandRejected}, which fails the workflow task.
 */
@ApplicationScoped
public class Commands {

    private final CrossWorkflowCommands crossWorkflow;
    private final NexusOperationCommands nexusOperations;
    private final NamespaceRegistry namespaces;

    public Commands(CrossWorkflowCommands crossWorkflow, NexusOperationCommands nexusOperations,
                    NamespaceRegistry namespaces) {
        this.crossWorkflow = crossWorkflow;
        this.nexusOperations = nexusOperations;
        this.namespaces = namespaces;
    }

    public void apply(Mutation m, Command command, long completedEventId) {
        int firstEvent = m.eventCount();
        applyAttributes(m, command, completedEventId);
        // Temporal puts a command's user metadata on the event the command wrote first (a timer's summary on its
        // TimerStarted, a local activity's on its marker), never on events that follow from it.
        if (command.hasUserMetadata() && m.eventCount() > firstEvent) {
            m.setUserMetadata(firstEvent, command.getUserMetadata());
        }
    }

    private void applyAttributes(Mutation m, Command command, long completedEventId) {
        switch (command.getCommandType()) {
            case COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK ->
                    ActivityCommands.schedule(m, command.getScheduleActivityTaskCommandAttributes(), completedEventId);
            case COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK ->
                    ActivityCommands.requestCancel(m, command.getRequestCancelActivityTaskCommandAttributes().getScheduledEventId(),
                            completedEventId);
            case COMMAND_TYPE_START_TIMER -> UserTimers.start(m, command.getStartTimerCommandAttributes(), completedEventId);
            case COMMAND_TYPE_CANCEL_TIMER -> UserTimers.cancel(m, command.getCancelTimerCommandAttributes().getTimerId(),
                    completedEventId);
            case COMMAND_TYPE_RECORD_MARKER -> {
                var marker = command.getRecordMarkerCommandAttributes();
                if (marker.getMarkerName().isEmpty()) {
                    throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES,
                            "RecordMarkerCommandAttributes.marker_name is not set");
                }
                m.append(EventType.EVENT_TYPE_MARKER_RECORDED, e -> PresentFields.copy(marker,
                                e.getMarkerRecordedEventAttributesBuilder())
                        .setWorkflowTaskCompletedEventId(completedEventId));
            }
            case COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION -> {
                Limits.checkPayloads(command.getCompleteWorkflowExecutionCommandAttributes().getResult().getPayloadsList(),
                        WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_COMPLETE_WORKFLOW_EXECUTION_ATTRIBUTES);
                var complete = command.getCompleteWorkflowExecutionCommandAttributes();
                RunChains.Next next = RunChains.afterCompletion(m, complete.getResult());
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
                        e -> PresentFields.copy(complete, e.getWorkflowExecutionCompletedEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId)
                                .setNewExecutionRunId(next.newRunId()));
                RunClose.close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
                next.begin();
            }
            case COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION -> {
                var fail = command.getFailWorkflowExecutionCommandAttributes();
                RunChains.Next next = RunChains.afterFailure(m, fail.getFailure());
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                        e -> PresentFields.copy(fail, e.getWorkflowExecutionFailedEventAttributesBuilder())
                                .setRetryState(next.retryState())
                                .setWorkflowTaskCompletedEventId(completedEventId)
                                .setNewExecutionRunId(next.newRunId()));
                RunClose.close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
                next.begin();
            }
            case COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION ->
                    crossWorkflow.startChild(m, command.getStartChildWorkflowExecutionCommandAttributes(), completedEventId);
            case COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION ->
                    crossWorkflow.signalExternal(m, command.getSignalExternalWorkflowExecutionCommandAttributes(), completedEventId);
            case COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION ->
                    crossWorkflow.cancelExternal(m, command.getRequestCancelExternalWorkflowExecutionCommandAttributes(), completedEventId);
            case COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION ->
                    nexusOperations.schedule(m, command.getScheduleNexusOperationCommandAttributes(), completedEventId);
            case COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION ->
                    nexusOperations.requestCancel(m, command.getRequestCancelNexusOperationCommandAttributes(),
                            completedEventId);
            case COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
                var upsert = command.getUpsertWorkflowSearchAttributesCommandAttributes().getSearchAttributes();
                WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES;
                if (upsert.getIndexedFieldsCount() == 0) {
                    throw new CommandRejected(bad, "IndexedFields is not set on UpsertWorkflowSearchAttributesCommand.");
                }
                Limits.checkPayloads(upsert.getIndexedFieldsMap().values(), bad);
                var merged = m.searchAttributes.toFields(m.state.searchAttributesWith(
                        m.searchAttributes.toFields(upsert).getIndexedFieldsMap()));
                // Checked under the names the workflow uses, so an error names what it wrote.
                SearchAttributeChecks.checkCommand(upsert, m.searchAttributes.toNames(merged),
                        namespaces.withId(m.state.namespaceId()), bad);
                m.state.keepSearchAttributes(merged);
                m.append(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
                        e -> PresentFields.copy(command.getUpsertWorkflowSearchAttributesCommandAttributes(),
                                        e.getUpsertWorkflowSearchAttributesEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId));
            }
            case COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES -> {
                var memo = command.getModifyWorkflowPropertiesCommandAttributes().getUpsertedMemo();
                Limits.checkPayloads(memo.getFieldsMap().values(),
                        WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_MODIFY_WORKFLOW_PROPERTIES_ATTRIBUTES);
                m.state.keepMemo(m.state.memoWith(memo.getFieldsMap()));
                m.append(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
                        e -> PresentFields.copy(command.getModifyWorkflowPropertiesCommandAttributes(),
                                        e.getWorkflowPropertiesModifiedEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId));
            }
            case COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION -> {
                var next = command.getContinueAsNewWorkflowExecutionCommandAttributes();
                SearchAttributeChecks.checkCommand(next.getSearchAttributes(), next.getSearchAttributes(),
                        namespaces.withId(m.state.namespaceId()),
                        WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES);
                ContinueAsNew.apply(m, next, completedEventId);
            }
            case COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION -> {
                m.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
                        e -> PresentFields.copy(command.getCancelWorkflowExecutionCommandAttributes(),
                                        e.getWorkflowExecutionCanceledEventAttributesBuilder())
                                .setWorkflowTaskCompletedEventId(completedEventId));
                RunClose.close(m, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
            }
            default -> throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                    command.getCommandType() + " is not supported by this server yet");
        }
    }
}
