package dev.aeon.dataplane.history.nexusoperation;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import dev.aeon.dataplane.history.engine.Mutation;
import dev.aeon.dataplane.history.rules.CommandRejected;
import dev.aeon.dataplane.history.rules.Limits;
import dev.aeon.dataplane.history.state.NexusOperationInfo;
import dev.aeon.dataplane.history.state.TimerTask;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.nexus.NexusEndpoint;
import dev.aeon.dataplane.nexus.NexusEndpoints;
import io.grpc.StatusRuntimeException;
import io.temporal.api.command.v1.RequestCancelNexusOperationCommandAttributes;
import io.temporal.api.command.v1.ScheduleNexusOperationCommandAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The workflow's Nexus commands, checked as Temporal checks them (components/nexusoperations/workflow/commands.go)
 * with its default limits, and recorded: the scheduled event, the operation in the run's state, its timeouts, and
 * the task that sends the start request after the commit ({@link NexusOperationTasks}).
 *
 * <p>The endpoint is found by name among the caller's account's endpoints, and the caller's namespace must be in its
 * allowed callers (none by default, as on Temporal Cloud). An endpoint of another account is simply not found, so a
 * workflow learns nothing about other tenants' endpoints.
 */
@ApplicationScoped
public class NexusOperationCommands {

    static final int MAX_PENDING_OPERATIONS = 30;
    static final int MAX_NAME_LENGTH = 1000;
    static final int MAX_HEADER_SIZE = 8192;
    /** Headers a workflow may not set: Temporal's defaults (the request timeout is the server's to set). */
    static final Set<String> DISALLOWED_HEADERS = Set.of("request-timeout", "xdc-redirection",
            "xdc-redirection-api", "temporal-caller-name", "temporal-caller-type", "temporal-call-origin",
            "temporal-principal-type", "temporal-principal-name");

    private static final WorkflowTaskFailedCause BAD_SCHEDULE =
            WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES;
    private static final WorkflowTaskFailedCause BAD_CANCEL =
            WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_NEXUS_OPERATION_ATTRIBUTES;

    private final NamespaceRegistry namespaces;
    private final NexusEndpoints endpoints;

    public NexusOperationCommands(NamespaceRegistry namespaces, NexusEndpoints endpoints) {
        this.namespaces = namespaces;
        this.endpoints = endpoints;
    }

    public void schedule(Mutation m, ScheduleNexusOperationCommandAttributes command, long completedEventId) {
        Namespace caller = namespaces.withId(m.state.namespaceId());
        NexusEndpoint endpoint = callable(caller, command.getEndpoint());
        if (command.getService().length() > MAX_NAME_LENGTH) {
            throw new CommandRejected(BAD_SCHEDULE, "ScheduleNexusOperationCommandAttributes.Service exceeds length "
                    + "limit of " + MAX_NAME_LENGTH);
        }
        if (command.getOperation().length() > MAX_NAME_LENGTH) {
            throw new CommandRejected(BAD_SCHEDULE, "ScheduleNexusOperationCommandAttributes.Operation exceeds "
                    + "length limit of " + MAX_NAME_LENGTH);
        }
        checkTimeout("ScheduleToCloseTimeout", command.getScheduleToCloseTimeout());
        checkTimeout("ScheduleToStartTimeout", command.getScheduleToStartTimeout());
        checkTimeout("StartToCloseTimeout", command.getStartToCloseTimeout());
        if (command.getInput().getSerializedSize() > Limits.MAX_PAYLOAD_BYTES) {
            // As Temporal: a workflow that keeps sending what can never be accepted is ended, not retried forever.
            throw CommandRejected.terminating(BAD_SCHEDULE,
                    "ScheduleNexusOperationCommandAttributes.Input exceeds size limit");
        }
        Map<String, String> header = header(command.getNexusHeaderMap());
        if (m.state.nexusOperations().size() >= MAX_PENDING_OPERATIONS) {
            throw new CommandRejected(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_NEXUS_OPERATIONS_LIMIT_EXCEEDED,
                    "workflow has reached the pending nexus operation limit of " + MAX_PENDING_OPERATIONS
                            + " for this namespace");
        }
        // An operation never outlives the run that waits for it; the other two timeouts fit in the first.
        long runTimeout = m.state.runTimeoutMillis();
        long scheduleToClose = Durations.toMillis(command.getScheduleToCloseTimeout());
        if (runTimeout > 0 && (scheduleToClose == 0 || scheduleToClose > runTimeout)) {
            scheduleToClose = runTimeout;
        }
        long scheduleToStart = Durations.toMillis(command.getScheduleToStartTimeout());
        long startToClose = Durations.toMillis(command.getStartToCloseTimeout());
        if (scheduleToClose > 0) {
            scheduleToStart = Math.min(scheduleToStart, scheduleToClose);
            startToClose = Math.min(startToClose, scheduleToClose);
        }
        String requestId = UUID.randomUUID().toString();
        long s2c = scheduleToClose;
        long s2s = scheduleToStart;
        long st2c = startToClose;
        HistoryEvent scheduled = m.append(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, e -> {
            var attributes = e.getNexusOperationScheduledEventAttributesBuilder()
                    .setEndpoint(command.getEndpoint()).setEndpointId(endpoint.id())
                    .setService(command.getService()).setOperation(command.getOperation())
                    .putAllNexusHeader(header).setRequestId(requestId)
                    .setWorkflowTaskCompletedEventId(completedEventId);
            if (command.hasInput()) {
                attributes.setInput(command.getInput());
            }
            if (s2c > 0) {
                attributes.setScheduleToCloseTimeout(Durations.fromMillis(s2c));
            }
            if (s2s > 0) {
                attributes.setScheduleToStartTimeout(Durations.fromMillis(s2s));
            }
            if (st2c > 0) {
                attributes.setStartToCloseTimeout(Durations.fromMillis(st2c));
            }
        });
        long eventId = scheduled.getEventId();
        NexusOperationInfo operation = new NexusOperationInfo(eventId, command.getEndpoint(), endpoint.id(),
                targetNamespaceId(endpoint), command.getService(), command.getOperation(), requestId, m.now,
                s2c, s2s, st2c);
        operation.armTimeouts(
                s2c > 0 ? m.armTimeout(TimerTask.Kind.NEXUS_OPERATION_TIMEOUT, eventId, 0,
                        TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE, m.now + s2c) : null,
                s2s > 0 ? m.armTimeout(TimerTask.Kind.NEXUS_OPERATION_TIMEOUT, eventId, 0,
                        TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START, m.now + s2s) : null);
        m.state.addNexusOperation(operation);
        m.addCrossWorkflowTask(DispatchTask.Kind.NEXUS_START, eventId);
    }

    public void requestCancel(Mutation m, RequestCancelNexusOperationCommandAttributes command,
                              long completedEventId) {
        long scheduledEventId = command.getScheduledEventId();
        NexusOperationInfo operation = m.state.nexusOperation(scheduledEventId);
        // An operation that ended while this task ran has its outcome buffered: canceling it is harmless then.
        boolean endedMeanwhile = operation == null && NexusOperationOutcomes.outcomeBuffered(m.state, scheduledEventId);
        if (operation == null && !endedMeanwhile) {
            throw new CommandRejected(BAD_CANCEL, "requested cancelation for a non-existing or already completed "
                    + "operation with scheduled event ID of " + scheduledEventId);
        }
        if (operation != null && operation.cancelState() != null) {
            throw new CommandRejected(BAD_CANCEL, "cancelation was already requested for an operation with "
                    + "scheduled event ID " + scheduledEventId);
        }
        HistoryEvent requested = m.append(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED,
                e -> e.getNexusOperationCancelRequestedEventAttributesBuilder()
                        .setScheduledEventId(scheduledEventId).setWorkflowTaskCompletedEventId(completedEventId));
        if (operation == null) {
            return;
        }
        operation.cancelRequested(requested.getEventId());
        if (operation.state() == dev.aeon.dataplane.history.state.NexusOperationState.STARTED) {
            operation.cancelScheduled(m.state.runId());
            m.addCrossWorkflowTask(DispatchTask.Kind.NEXUS_CANCEL, scheduledEventId);
        }
    }

    /**
     * The endpoint a workflow of {@code caller} may call by this name. Not found and not allowed fail the task with
     * Temporal's two messages; another account's endpoint is not found.
     */
    private NexusEndpoint callable(Namespace caller, String name) {
        String account = caller.provisioned() ? caller.settings().accountId() : null;
        Optional<NexusEndpoint> endpoint = account == null ? Optional.empty() : endpoints.byName(account, name);
        if (endpoint.isEmpty()) {
            throw new CommandRejected(BAD_SCHEDULE, "endpoint \"" + name + "\" not found");
        }
        if (!endpoint.get().allowsCaller(caller.name())) {
            throw new CommandRejected(BAD_SCHEDULE, "caller namespace \"" + caller.name() + "\" unauthorized for \""
                    + name + "\"");
        }
        return endpoint.get();
    }

    /** The target namespace's id, or empty when it does not exist (the start request then fails and is retried). */
    private String targetNamespaceId(NexusEndpoint endpoint) {
        try {
            return namespaces.namespace(endpoint.spec().targetNamespace()).id();
        } catch (StatusRuntimeException notFound) {
            return "";
        }
    }

    private static void checkTimeout(String field, Duration timeout) {
        if (timeout.getSeconds() < 0 || timeout.getNanos() < 0 || !Durations.isValid(timeout)) {
            throw new CommandRejected(BAD_SCHEDULE, "ScheduleNexusOperationCommandAttributes." + field
                    + " is invalid: negative or invalid duration");
        }
    }

    /** The header lower-cased, as Temporal stores it; refused when it sets what only the server may, or is too big. */
    private static Map<String, String> header(Map<String, String> given) {
        Map<String, String> header = new TreeMap<>();
        int size = 0;
        for (var entry : given.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (DISALLOWED_HEADERS.contains(name)) {
                throw new CommandRejected(BAD_SCHEDULE, "ScheduleNexusOperationCommandAttributes.NexusHeader "
                        + "contains a disallowed header key: \"" + entry.getKey() + "\"");
            }
            size += name.length() + entry.getValue().length();
            header.put(name, entry.getValue());
        }
        if (size > MAX_HEADER_SIZE) {
            throw new CommandRejected(BAD_SCHEDULE, "ScheduleNexusOperationCommandAttributes.NexusHeader exceeds "
                    + "size limit");
        }
        return header;
    }
}
