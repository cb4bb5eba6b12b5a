package dev.aeon.dataplane.frontend;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.activity.Activities;
import dev.aeon.dataplane.history.query.Queries;
import dev.aeon.dataplane.history.workflowtask.WorkflowTasks;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.Poller;
import dev.aeon.dataplane.nexus.NexusTasks;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.function.Function;

/**
 * What a worker's poll is, kind by kind: the queue it polls, the worker as DescribeTaskQueue lists it, and how a task
 * it gets is started and answered. Built from the request on the node the worker reached, and again from the same
 * request on a node that found the task for it ({@link ClusterPolls}).
 */
@ApplicationScoped
public class PollStarters {

    /**
     * @param start starts a task for this poll and answers the worker; empty when the task turned out stale (the
     *              poll goes on)
     * @param empty the answer when no task came in time
     */
    public record Spec<T extends Message>(DispatchTask.Kind kind, String taskQueue, Poller poller,
                                          Function<DispatchTask, Optional<T>> start, T empty, Message request) {
    }

    private final WorkflowTasks workflowTasks;
    private final Queries queries;
    private final Activities activities;
    private final NexusTasks nexusTasks;

    public PollStarters(WorkflowTasks workflowTasks, Queries queries, Activities activities, NexusTasks nexusTasks) {
        this.workflowTasks = workflowTasks;
        this.queries = queries;
        this.activities = activities;
        this.nexusTasks = nexusTasks;
    }

    public Spec<PollWorkflowTaskQueueResponse> workflow(PollWorkflowTaskQueueRequest request) {
        return new Spec<>(DispatchTask.Kind.WORKFLOW, request.getTaskQueue().getName(), Poller.of(request),
                task -> task.queryId() != null && !task.isPrestarted() ? queries.pollResponse(task)
                        : workflowTasks.recordStarted(task, request),
                PollWorkflowTaskQueueResponse.getDefaultInstance(), request);
    }

    public Spec<PollActivityTaskQueueResponse> activity(PollActivityTaskQueueRequest request) {
        return new Spec<>(DispatchTask.Kind.ACTIVITY, request.getTaskQueue().getName(), Poller.of(request),
                task -> activities.recordStarted(task, request), PollActivityTaskQueueResponse.getDefaultInstance(),
                request);
    }

    public Spec<PollNexusTaskQueueResponse> nexus(PollNexusTaskQueueRequest request) {
        return new Spec<>(DispatchTask.Kind.NEXUS, request.getTaskQueue().getName(), Poller.of(request),
                nexusTasks::pollResponse, PollNexusTaskQueueResponse.getDefaultInstance(), request);
    }

    /** The spec of a poll another node received, from its kind and request. */
    Spec<?> of(DispatchTask.Kind kind, byte[] request) {
        try {
            return switch (kind) {
                case WORKFLOW -> workflow(PollWorkflowTaskQueueRequest.parseFrom(request));
                case ACTIVITY -> activity(PollActivityTaskQueueRequest.parseFrom(request));
                case NEXUS -> nexus(PollNexusTaskQueueRequest.parseFrom(request));
                default -> throw ApiErrors.invalidArgument("no poll of " + kind + " tasks");
            };
        } catch (InvalidProtocolBufferException e) {
            throw ApiErrors.invalidArgument("malformed poll request");
        }
    }
}
