package dev.aeon.dataplane.frontend;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import dev.aeon.dataplane.cluster.NodeTagged;
import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.TaskToken;
import dev.aeon.dataplane.history.query.Queries;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.nexus.NexusTasks;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.Set;

/**
 * Where a WorkflowService call is served, with the history shards spread over the nodes: a call about one
 * workflow (by its id, or by a task token naming its run) on the node that owns the workflow's shard; the answer
 * to a query or a Nexus request on the node that waits for it (tagged in the task's token); everything else
 * (polls, listings, namespaces, schedules, task queues) on the node the call reached, which reaches the other nodes
 * itself where it must.
 */
@ApplicationScoped
public class CallRoutes {

    /** Methods whose request names one workflow: its id, or an execution with its id. */
    private static final Set<String> BY_WORKFLOW = Set.of("StartWorkflowExecution", "SignalWithStartWorkflowExecution",
            "GetWorkflowExecutionHistory", "GetWorkflowExecutionHistoryReverse", "SignalWorkflowExecution",
            "RequestCancelWorkflowExecution", "TerminateWorkflowExecution", "ResetWorkflowExecution",
            "DeleteWorkflowExecution", "DescribeWorkflowExecution", "QueryWorkflow", "UpdateWorkflowExecution",
            "PollWorkflowExecutionUpdate", "ExecuteMultiOperation", "ResetStickyTaskQueue",
            "RecordActivityTaskHeartbeatById", "RespondActivityTaskCompletedById", "RespondActivityTaskFailedById",
            "RespondActivityTaskCanceledById");

    /** Methods whose request carries a workflow or activity task's token. */
    private static final Set<String> BY_TASK_TOKEN = Set.of("RespondWorkflowTaskCompleted", "RespondWorkflowTaskFailed",
            "RespondActivityTaskCompleted", "RespondActivityTaskFailed", "RespondActivityTaskCanceled",
            "RecordActivityTaskHeartbeat");

    /** Methods answering work kept in memory on the node that made it. */
    private static final Set<String> BY_WAITING_NODE = Set.of("RespondQueryTaskCompleted", "RespondNexusTaskCompleted",
            "RespondNexusTaskFailed");

    private final HistoryEngine engine;
    private final NamespaceRegistry namespaces;
    private final Membership membership;

    public CallRoutes(HistoryEngine engine, NamespaceRegistry namespaces, Membership membership) {
        this.engine = engine;
        this.namespaces = namespaces;
        this.membership = membership;
    }

    /** What deciding the route needs first: the namespace named by a call about one workflow, if not in memory. */
    Optional<String> uncachedNamespace(String method, Object request) {
        if (!BY_WORKFLOW.contains(method) || !(request instanceof Message message)) {
            return Optional.empty();
        }
        String name = string(message, "namespace");
        return name.isEmpty() || namespaces.cached(name).isPresent() ? Optional.empty() : Optional.of(name);
    }

    /** Loads a namespace into memory (blocking: not on an event loop); a missing one is left to the call to report. */
    void load(String namespace) {
        try {
            namespaces.namespace(namespace);
        } catch (RuntimeException e) {
            // NOT_FOUND and the like: the call itself answers it, on this node
        }
    }

    /** The node to forward the call to; empty to serve it here. Never blocks. */
    Optional<Member> target(String method, Object request) {
        if (!(request instanceof Message message)) {
            return Optional.empty();
        }
        try {
            if (BY_WORKFLOW.contains(method)) {
                Optional<Namespace> namespace = namespaces.cached(string(message, "namespace"));
                String workflowId = workflowIdOf(message);
                return namespace.isEmpty() || workflowId.isEmpty() ? Optional.empty()
                        : engine.remoteOwner(namespace.get().id(), workflowId);
            }
            if (BY_TASK_TOKEN.contains(method)) {
                TaskToken token = TaskToken.decode(bytes(message, "task_token"));
                return engine.remoteOwner(token.namespaceId(), token.workflowId());
            }
            if (BY_WAITING_NODE.contains(method)) {
                ByteString token = bytes(message, "task_token");
                Optional<String> id = Queries.queryIdOf(token).or(() -> NexusTasks.idOf(token));
                return id.flatMap(NodeTagged::nodeOf).filter(node -> !node.equals(membership.nodeId()))
                        .flatMap(node -> membership.members().stream().filter(m -> m.nodeId().equals(node)).findFirst());
            }
        } catch (RuntimeException malformed) {
            // A token that is not ours, say: served here, where the call reports it
        }
        return Optional.empty();
    }

    private static String workflowIdOf(Message request) {
        if (request instanceof ExecuteMultiOperationRequest multi) {
            return multi.getOperationsCount() == 0 ? "" : multi.getOperations(0).getStartWorkflow().getWorkflowId();
        }
        String id = string(request, "workflow_id");
        if (!id.isEmpty()) {
            return id;
        }
        for (String field : new String[]{"workflow_execution", "execution"}) {
            Message execution = message(request, field);
            if (execution != null) {
                return string(execution, "workflow_id");
            }
        }
        Message updateRef = message(request, "update_ref");
        Message execution = updateRef == null ? null : message(updateRef, "workflow_execution");
        return execution == null ? "" : string(execution, "workflow_id");
    }

    private static String string(Message message, String name) {
        Descriptors.FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
        return field != null && field.getType() == Descriptors.FieldDescriptor.Type.STRING
                ? (String) message.getField(field) : "";
    }

    private static ByteString bytes(Message message, String name) {
        Descriptors.FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
        return field != null && field.getType() == Descriptors.FieldDescriptor.Type.BYTES
                ? (ByteString) message.getField(field) : ByteString.EMPTY;
    }

    private static Message message(Message message, String name) {
        Descriptors.FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
        return field != null && field.getType() == Descriptors.FieldDescriptor.Type.MESSAGE
                ? (Message) message.getField(field) : null;
    }
}
