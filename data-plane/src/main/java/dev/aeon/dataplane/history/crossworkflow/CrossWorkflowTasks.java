package dev.aeon.dataplane.history.crossworkflow;

import dev.aeon.dataplane.cluster.PeerMessage;
import dev.aeon.dataplane.history.engine.OwnerCalls;

import dev.aeon.dataplane.history.state.ChildState;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import dev.aeon.dataplane.history.engine.InternalTaskQueue;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.PresentFields;
import dev.aeon.dataplane.history.run.WorkflowLifecycle;
import dev.aeon.dataplane.history.run.WorkflowStarts;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.ChildInfo;
import dev.aeon.dataplane.history.state.ExternalRequest;
import dev.aeon.dataplane.history.state.ParentRef;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CancelExternalWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.StartChildWorkflowExecutionFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * What one workflow does to another: start a child and tell the parent, tell the parent its child closed, apply
 * a parent close policy, deliver a signal or a cancel request to another run. Each runs after the transition that
 * asked for it, possibly more than once (after a crash), so each is idempotent: the target deduplicates by a
 * request id derived from the initiating event, and the source records the outcome only if it is still pending.
 * The task's row is completed last.
 */
@ApplicationScoped
public class CrossWorkflowTasks {

    private final HistoryEngine engine;
    private final WorkflowStarts starts;
    private final WorkflowLifecycle lifecycle;
    private final NamespaceRegistry namespaces;
    private final OwnerCalls owners;

    public CrossWorkflowTasks(HistoryEngine engine, InternalTaskQueue queue, WorkflowStarts starts,
                              WorkflowLifecycle lifecycle, NamespaceRegistry namespaces, OwnerCalls owners) {
        this.engine = engine;
        this.owners = owners;
        owners.serve("crossworkflow.childClosed", in -> {
            tellParent(in.string(), in.string(), in.string(), in.number(), ClosedChild.read(in),
                    in.proto(HistoryEvent.parser()));
            return null;
        });
        this.starts = starts;
        this.lifecycle = lifecycle;
        this.namespaces = namespaces;
        queue.onTask(java.util.EnumSet.of(DispatchTask.Kind.START_CHILD, DispatchTask.Kind.CHILD_CLOSED,
                DispatchTask.Kind.PARENT_CLOSE_POLICY, DispatchTask.Kind.SIGNAL_EXTERNAL,
                DispatchTask.Kind.CANCEL_EXTERNAL), this::handle, engine.executor());
    }

    /** Created before the engine reloads pending tasks, so none runs without a handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    void handle(DispatchTask task) {
        Optional<ExecutionState> source = engine.find(task.namespaceId(), task.workflowId(), task.runId());
        if (source.isEmpty()) {
            engine.deleteTask(task);
            return;
        }
        switch (task.kind()) {
            case START_CHILD -> startChild(task, source.get());
            case CHILD_CLOSED -> childClosed(task, source.get());
            case PARENT_CLOSE_POLICY -> parentClosePolicy(task, source.get());
            case SIGNAL_EXTERNAL, CANCEL_EXTERNAL -> external(task, source.get());
            default -> throw new IllegalStateException(task.kind() + " is not work between workflows");
        }
    }

    private void startChild(DispatchTask task, ExecutionState parent) {
        ChildInfo child = parent.children().get(task.scheduledEventId());
        if (!parent.isRunning() || child == null || child.runId() != null) {
            complete(task);
            return;
        }
        HistoryEvent initiatedEvent = event(parent, task.scheduledEventId());
        var initiated = initiatedEvent.getStartChildWorkflowExecutionInitiatedEventAttributes();
        ParentRef ref = ParentRef.of(parent, namespaces.byId(parent.namespaceId()).getNamespaceInfo().getName(),
                task.scheduledEventId());
        if (!reachable(parent.namespaceId(), child.namespaceId())) {
            failChildStart(task, child, initiated.getControl(),
                    StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND);
            return;
        }
        String childRunId;
        try {
            childRunId = starts.startChild(child.namespaceId(), initiatedEvent, ref);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
            failChildStart(task, child, initiated.getControl(),
                    StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS);
            return;
        }
        onSource(task, m -> {
            ChildInfo pending = m.state.children().get(task.scheduledEventId());
            if (pending != null && pending.state() == ChildState.INITIATED) {
                recordChildStarted(m, task.scheduledEventId(), pending, childRunId, initiated);
                WorkflowTasks.needed(m);
            }
        });
    }

    private void failChildStart(DispatchTask task, ChildInfo child, String control,
                                StartChildWorkflowExecutionFailedCause cause) {
        onSource(task, m -> {
            if (m.state.children().containsKey(task.scheduledEventId())) {
                m.state.endChild(task.scheduledEventId(), ChildState.START_FAILED);
                m.appendOrBuffer(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
                        ev -> ev.getStartChildWorkflowExecutionFailedEventAttributesBuilder()
                                .setNamespace(child.namespace()).setNamespaceId(child.namespaceId())
                                .setWorkflowId(child.workflowId())
                                .setWorkflowType(WorkflowType.newBuilder().setName(child.workflowType()))
                                .setCause(cause)
                                .setControl(control)
                                .setInitiatedEventId(task.scheduledEventId()));
                WorkflowTasks.needed(m);
            }
        });
    }

    /**
     * Checked again when the task runs, not only when the command was accepted: a namespace may have been deleted,
     * or stopped allowing cross-namespace commands, meanwhile (and tasks written before the rule existed reach here
     * too). A refused target is answered as a missing one, so the source run goes on with a failure event.
     */
    private boolean reachable(String sourceNamespaceId, String targetNamespaceId) {
        try {
            return namespaces.withId(sourceNamespaceId).mayCommand(namespaces.withId(targetNamespaceId));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            return false;
        }
    }

    private void childClosed(DispatchTask task, ExecutionState child) {
        ParentRef parent = child.parent();
        HistoryEvent close = event(child, child.nextEventId() - 1);
        ClosedChild closed = new ClosedChild(child.workflowId(), child.runId(), child.firstRunId(), child.workflowType());
        try {
            if (owners.onOwner(parent.namespaceId(), parent.workflowId(), "crossworkflow.childClosed",
                    () -> closed.write(PeerMessage.write().string(parent.namespaceId()).string(parent.workflowId())
                            .string(parent.runId()).number(parent.initiatedEventId())).proto(close).done()).isEmpty()) {
                tellParent(parent.namespaceId(), parent.workflowId(), parent.runId(), parent.initiatedEventId(), closed,
                        close);
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e; // the parent is gone otherwise: nobody to tell
            }
        }
        complete(task);
    }

    /** A closed child as its parent records it. */
    private record ClosedChild(String workflowId, String runId, String firstRunId, String workflowType) {
        PeerMessage.Writer write(PeerMessage.Writer out) {
            return out.string(workflowId).string(runId).string(firstRunId).string(workflowType);
        }

        static ClosedChild read(PeerMessage.Reader in) {
            return new ClosedChild(in.string(), in.string(), in.string(), in.string());
        }
    }

    /** Records in the parent's run (on this node, which owns its shard) that its child closed. */
    private void tellParent(String namespaceId, String workflowId, String runId, long initiatedEventId,
                            ClosedChild child, HistoryEvent close) {
        engine.update(namespaceId, workflowId, runId, m -> {
            ChildInfo info = m.state.children().get(initiatedEventId);
            if (!m.state.isRunning() || info == null) {
                return null;
            }
            if (info.state() == ChildState.INITIATED) {
                recordChildStarted(m, initiatedEventId, info, child.firstRunId(),
                        event(m.state, initiatedEventId).getStartChildWorkflowExecutionInitiatedEventAttributes());
            }
            recordChildClosed(m, initiatedEventId, info, child, close);
            m.state.endChild(initiatedEventId, ChildState.CLOSED);
            WorkflowTasks.needed(m);
            return null;
        });
    }

    private void parentClosePolicy(DispatchTask task, ExecutionState parent) {
        ChildInfo child = parent.children().get(task.scheduledEventId());
        // A child in a namespace the parent may no longer command (started before the rule) is left alone.
        if (child != null && child.runId() != null && reachable(parent.namespaceId(), child.namespaceId())) {
            WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId(child.workflowId()).build();
            try {
                if (child.parentClosePolicy() == ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL_VALUE) {
                    lifecycle.requestCancel(child.namespaceId(), RequestCancelWorkflowExecutionRequest.newBuilder()
                            .setWorkflowExecution(execution).setFirstExecutionRunId(child.runId())
                            .setReason("by parent close policy").setIdentity("aeon-history").build());
                } else {
                    lifecycle.terminate(child.namespaceId(), TerminateWorkflowExecutionRequest.newBuilder()
                            .setWorkflowExecution(execution).setFirstExecutionRunId(child.runId())
                            .setReason("by parent close policy").setIdentity("aeon-history").build());
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e; // NOT_FOUND: the child closed already
                }
            }
        }
        complete(task);
    }

    private void external(DispatchTask task, ExecutionState source) {
        ExternalRequest request = source.externalRequests().get(task.scheduledEventId());
        if (!source.isRunning() || request == null) {
            complete(task);
            return;
        }
        HistoryEvent initiated = event(source, task.scheduledEventId());
        WorkflowExecution target = WorkflowExecution.newBuilder().setWorkflowId(request.workflowId())
                .setRunId(request.runId() == null ? "" : request.runId()).build();
        WorkflowLifecycle.Sender sender = new WorkflowLifecycle.Sender(WorkflowExecution.newBuilder()
                .setWorkflowId(source.workflowId()).setRunId(source.runId()).build(), task.scheduledEventId());
        boolean delivered = reachable(source.namespaceId(), request.namespaceId())
                && deliver(request, target, initiated, source.runId() + ":" + task.scheduledEventId(), sender);
        onSource(task, m -> {
            if (m.state.endExternalRequest(task.scheduledEventId()) == null) {
                return;
            }
            recordExternalOutcome(m, task.scheduledEventId(), request, target, initiated, delivered);
            WorkflowTasks.needed(m);
        });
    }

    /** Signals or cancels the target; false when it does not exist. */
    private boolean deliver(ExternalRequest request, WorkflowExecution target, HistoryEvent initiated,
                            String requestId, WorkflowLifecycle.Sender sender) {
        try {
            if (request.cancel()) {
                lifecycle.requestCancel(request.namespaceId(), RequestCancelWorkflowExecutionRequest.newBuilder()
                        .setWorkflowExecution(target).setIdentity("aeon-history")
                        .setReason(initiated.getRequestCancelExternalWorkflowExecutionInitiatedEventAttributes().getReason())
                        .build(), sender);
            } else {
                var signal = initiated.getSignalExternalWorkflowExecutionInitiatedEventAttributes();
                lifecycle.signal(request.namespaceId(), PresentFields.copy(signal, SignalWorkflowExecutionRequest.newBuilder())
                        .setWorkflowExecution(target).setIdentity("aeon-history")
                        .setRequestId(requestId).build(), sender);
            }
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            return false;
        }
    }

    private static void recordExternalOutcome(Mutation m, long initiatedEventId, ExternalRequest request,
                                              WorkflowExecution target, HistoryEvent initiated, boolean delivered) {
        if (request.cancel()) {
            if (delivered) {
                m.appendOrBuffer(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                        e -> e.getExternalWorkflowExecutionCancelRequestedEventAttributesBuilder()
                                .setInitiatedEventId(initiatedEventId).setNamespace(request.namespace())
                                .setNamespaceId(request.namespaceId()).setWorkflowExecution(target));
            } else {
                m.appendOrBuffer(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
                        e -> e.getRequestCancelExternalWorkflowExecutionFailedEventAttributesBuilder()
                                .setInitiatedEventId(initiatedEventId).setNamespace(request.namespace())
                                .setNamespaceId(request.namespaceId()).setWorkflowExecution(target)
                                .setControl(initiated.getRequestCancelExternalWorkflowExecutionInitiatedEventAttributes().getControl())
                                .setCause(CancelExternalWorkflowExecutionFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND));
            }
            return;
        }
        String control = initiated.getSignalExternalWorkflowExecutionInitiatedEventAttributes().getControl();
        if (delivered) {
            m.appendOrBuffer(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
                    e -> e.getExternalWorkflowExecutionSignaledEventAttributesBuilder()
                            .setInitiatedEventId(initiatedEventId).setNamespace(request.namespace())
                            .setNamespaceId(request.namespaceId()).setWorkflowExecution(target).setControl(control));
        } else {
            m.appendOrBuffer(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
                    e -> e.getSignalExternalWorkflowExecutionFailedEventAttributesBuilder()
                            .setInitiatedEventId(initiatedEventId).setNamespace(request.namespace())
                            .setNamespaceId(request.namespaceId()).setWorkflowExecution(target).setControl(control)
                            .setCause(SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND));
        }
    }

    private static void recordChildStarted(Mutation m, long initiatedEventId, ChildInfo child, String childRunId,
                                           io.temporal.api.history.v1.StartChildWorkflowExecutionInitiatedEventAttributes initiated) {
        long eventId = m.state.nextEventId();
        boolean appended = m.appendOrBuffer(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, e -> {
            var started = e.getChildWorkflowExecutionStartedEventAttributesBuilder()
                    .setNamespace(child.namespace()).setNamespaceId(child.namespaceId())
                    .setInitiatedEventId(initiatedEventId)
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(child.workflowId())
                            .setRunId(childRunId))
                    .setWorkflowType(WorkflowType.newBuilder().setName(child.workflowType()));
            if (initiated.hasHeader()) {
                started.setHeader(initiated.getHeader()); // Temporal repeats the child's header here
            }
        });
        child.recordStarted(m.state.runId(), childRunId, appended ? eventId : Mutation.UNASSIGNED);
    }

    /** The parent's view of its child's close event. */
    private static void recordChildClosed(Mutation m, long initiatedEventId, ChildInfo info, ClosedChild child,
                                          HistoryEvent close) {
        WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId(child.workflowId())
                .setRunId(child.runId()).build();
        WorkflowType type = WorkflowType.newBuilder().setName(child.workflowType()).build();
        long started = info.startedEventId();
        switch (close.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> m.appendOrBuffer(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
                    e -> PresentFields.copy(close.getWorkflowExecutionCompletedEventAttributes(),
                                    e.getChildWorkflowExecutionCompletedEventAttributesBuilder())
                            .setNamespace(info.namespace()).setNamespaceId(info.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedEventId).setStartedEventId(started));
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> m.appendOrBuffer(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
                    e -> PresentFields.copy(close.getWorkflowExecutionFailedEventAttributes(),
                                    e.getChildWorkflowExecutionFailedEventAttributesBuilder())
                            .setNamespace(info.namespace()).setNamespaceId(info.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedEventId).setStartedEventId(started));
            case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> m.appendOrBuffer(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
                    e -> PresentFields.copy(close.getWorkflowExecutionCanceledEventAttributes(),
                                    e.getChildWorkflowExecutionCanceledEventAttributesBuilder())
                            .setNamespace(info.namespace()).setNamespaceId(info.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedEventId).setStartedEventId(started));
            case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> m.appendOrBuffer(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
                    e -> e.getChildWorkflowExecutionTimedOutEventAttributesBuilder()
                            .setRetryState(close.getWorkflowExecutionTimedOutEventAttributes().getRetryState())
                            .setNamespace(info.namespace()).setNamespaceId(info.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedEventId).setStartedEventId(started));
            default -> m.appendOrBuffer(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
                    e -> e.getChildWorkflowExecutionTerminatedEventAttributesBuilder()
                            .setNamespace(info.namespace()).setNamespaceId(info.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedEventId).setStartedEventId(started));
        }
    }

    /** Applies a change to the task's own run and completes the task's row in the same transition. */
    private void onSource(DispatchTask task, java.util.function.Consumer<Mutation> change) {
        engine.update(task.namespaceId(), task.workflowId(), task.runId(), m -> {
            change.accept(m);
            m.completeTransferTask(task.taskId());
            return null;
        });
    }

    private void complete(DispatchTask task) {
        onSource(task, m -> { });
    }

    private HistoryEvent event(ExecutionState run, long eventId) {
        return engine.events(run, eventId, eventId + 1).get(0);
    }
}
