package dev.aeon.dataplane.history.crossworkflow;

import dev.aeon.dataplane.history.state.ExternalRequest;
import dev.aeon.dataplane.history.state.ChildInfo;
import dev.aeon.dataplane.history.run.SearchAttributeChecks;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.temporal.api.command.v1.RequestCancelExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.SignalExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The workflow's commands that reach other workflows: start a child, signal or cancel another run. Each is
 * recorded in the run's history and state here and carried out by a cross-workflow task after the commit
 * ({@link CrossWorkflowTasks}).
 */
@ApplicationScoped
public class CrossWorkflowCommands {

    /** Temporal's per-run limits on pending children, outgoing signals and outgoing cancel requests. */
    private static final int MAX_PENDING_CHILDREN = 2000;
    private static final int MAX_PENDING_SIGNALS = 2000;
    private static final int MAX_PENDING_CANCELS = 2000;

    private final NamespaceRegistry namespaces;

    public CrossWorkflowCommands(NamespaceRegistry namespaces) {
        this.namespaces = namespaces;
    }

    public void startChild(Mutation m, StartChildWorkflowExecutionCommandAttributes command, long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES;
        if (command.getWorkflowId().isEmpty() || command.getWorkflowType().getName().isEmpty()) {
            throw new CommandRejected(bad, "WorkflowId and WorkflowType are required on StartChildWorkflowExecutionCommand");
        }
        if (m.state.children().size() >= MAX_PENDING_CHILDREN) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_CHILD_WORKFLOWS_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_CHILDREN + " pending child workflows, the limit");
        }
        Limits.checkPayloads(command.getInput().getPayloadsList(), bad);
        var target = namespace(command.getNamespace(), m.state.namespaceId(), bad, "StartChildWorkflowExecutionCommand");
        // The child's attributes are indexed in its own namespace, so they are checked against that one's.
        SearchAttributeChecks.checkCommand(command.getSearchAttributes(), command.getSearchAttributes(),
                namespaces.withId(target.getNamespaceInfo().getId()), bad);
        String taskQueue = Validation.commandTaskQueue(command.getTaskQueue(), m.state.taskQueue(), bad);
        HistoryEvent initiated = m.append(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
                e -> {
                    var attributes = PresentFields.copy(command, e.getStartChildWorkflowExecutionInitiatedEventAttributesBuilder())
                            .setNamespace(target.getNamespaceInfo().getName())
                            .setNamespaceId(target.getNamespaceInfo().getId())
                            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                            .setWorkflowTaskCompletedEventId(completedEventId);
                    // Temporal records the defaults it applies, not UNSPECIFIED.
                    if (command.getParentClosePolicyValue() == 0) {
                        attributes.setParentClosePolicy(io.temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE);
                    }
                    if (command.getWorkflowIdReusePolicyValue() == 0) {
                        attributes.setWorkflowIdReusePolicy(
                                io.temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
                    }
                });
        ChildInfo child = new ChildInfo(target.getNamespaceInfo().getId(),
                target.getNamespaceInfo().getName(), command.getWorkflowId(), command.getWorkflowType().getName(),
                command.getParentClosePolicyValue());
        m.state.addChild(initiated.getEventId(), child);
        m.addCrossWorkflowTask(DispatchTask.Kind.START_CHILD, initiated.getEventId());
    }

    public void signalExternal(Mutation m, SignalExternalWorkflowExecutionCommandAttributes command,
                                long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
        if (command.getExecution().getWorkflowId().isEmpty() || command.getSignalName().isEmpty()) {
            throw new CommandRejected(bad, "Execution.WorkflowId and SignalName are required on SignalExternalWorkflowExecutionCommand");
        }
        if (m.state.externalRequests().values().stream().filter(r -> !r.cancel()).count() >= MAX_PENDING_SIGNALS) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_SIGNALS_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_SIGNALS + " pending outgoing signals, the limit");
        }
        Limits.checkPayloads(command.getInput().getPayloadsList(), bad);
        var target = namespace(command.getNamespace(), m.state.namespaceId(), bad, "SignalExternalWorkflowExecutionCommand");
        HistoryEvent initiated = m.append(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                // The namespace name stays as the command gave it (empty: the workflow's own); its id is resolved.
                e -> PresentFields.copy(command, e.getSignalExternalWorkflowExecutionInitiatedEventAttributesBuilder())
                        .setWorkflowExecution(command.getExecution()) // `execution` in the command
                        .setNamespaceId(target.getNamespaceInfo().getId())
                        .setWorkflowTaskCompletedEventId(completedEventId));
        external(m, initiated.getEventId(), false, target, command.getExecution().getWorkflowId(),
                command.getExecution().getRunId());
    }

    public void cancelExternal(Mutation m, RequestCancelExternalWorkflowExecutionCommandAttributes command,
                                long completedEventId) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
        if (command.getWorkflowId().isEmpty()) {
            throw new CommandRejected(bad, "WorkflowId is required on RequestCancelExternalWorkflowExecutionCommand");
        }
        if (m.state.externalRequests().values().stream().filter(r -> r.cancel()).count() >= MAX_PENDING_CANCELS) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_REQUEST_CANCEL_LIMIT_EXCEEDED,
                    "the run has " + MAX_PENDING_CANCELS + " pending outgoing cancel requests, the limit");
        }
        var target = namespace(command.getNamespace(), m.state.namespaceId(), bad,
                "RequestCancelExternalWorkflowExecutionCommand");
        HistoryEvent initiated = m.append(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                e -> PresentFields.copy(command, e.getRequestCancelExternalWorkflowExecutionInitiatedEventAttributesBuilder())
                        .setNamespaceId(target.getNamespaceInfo().getId())
                        .setWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                .setWorkflowId(command.getWorkflowId()).setRunId(command.getRunId()))
                        .setWorkflowTaskCompletedEventId(completedEventId));
        external(m, initiated.getEventId(), true, target, command.getWorkflowId(), command.getRunId());
    }

    private static void external(Mutation m, long initiatedEventId, boolean cancel,
                                 io.temporal.api.workflowservice.v1.DescribeNamespaceResponse target, String workflowId,
                                 String runId) {
        ExternalRequest request = new ExternalRequest(cancel,
                target.getNamespaceInfo().getId(), target.getNamespaceInfo().getName(), workflowId, runId);
        m.state.addExternalRequest(initiatedEventId, request);
        m.addCrossWorkflowTask(cancel ? DispatchTask.Kind.CANCEL_EXTERNAL : DispatchTask.Kind.SIGNAL_EXTERNAL,
                initiatedEventId);
    }

    /**
     * The command's target namespace (its own when unnamed). One it may not command ({@link Namespace#mayCommand}:
     * another account's, or one of its own account without both opting in) fails the workflow task exactly as a
     * namespace that does not exist, so a workflow learns nothing about other tenants' namespaces.
     */
    private io.temporal.api.workflowservice.v1.DescribeNamespaceResponse namespace(String name, String ownId,
                                                                               WorkflowTaskFailedCause cause,
                                                                               String command) {
        Namespace own = namespaces.withId(ownId);
        if (name.isEmpty() || name.equals(own.name())) {
            return own.description();
        }
        Optional<Namespace> target;
        try {
            target = Optional.of(namespaces.namespace(name));
        } catch (io.grpc.StatusRuntimeException notFound) {
            target = Optional.empty();
        }
        if (target.isEmpty() || !own.mayCommand(target.get())) {
            throw new CommandRejected(cause, command + ".namespace: namespace " + name + " is not found or does not "
                    + "accept commands from namespace " + own.name() + " (use a Nexus endpoint to call across "
                    + "namespaces)");
        }
        return target.get().description();
    }
}
