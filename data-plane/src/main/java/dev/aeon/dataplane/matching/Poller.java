package dev.aeon.dataplane.matching;

import io.temporal.api.common.v1.WorkerVersionCapabilities;
import io.temporal.api.deployment.v1.WorkerDeploymentOptions;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;

/**
 * A worker as its polls describe it, for DescribeTaskQueue: what Temporal's matching keeps of a poll (identity, the
 * dispatch rate the worker asked for, its versioning capabilities and deployment options).
 *
 * @param info   the worker as DescribeTaskQueue lists it, without its last access time
 * @param sticky whether it polled a sticky queue (a worker's own queue, which has no versioning of its own)
 */
public record Poller(PollerInfo info, boolean sticky) {

    /** Temporal's dispatch rate when a worker asks for none (matching's {@code defaultTaskDispatchRPS}). */
    public static final double DEFAULT_RATE_PER_SECOND = 100_000;

    public static Poller of(PollWorkflowTaskQueueRequest request) {
        return of(request.getIdentity(), DEFAULT_RATE_PER_SECOND,
                request.hasWorkerVersionCapabilities() ? request.getWorkerVersionCapabilities() : null,
                request.hasDeploymentOptions() ? request.getDeploymentOptions() : null, request.getTaskQueue());
    }

    /** An activity worker may ask for a dispatch rate (the SDKs' max task queue activities per second). */
    public static Poller of(PollActivityTaskQueueRequest request) {
        return of(request.getIdentity(), request.getTaskQueueMetadata().hasMaxTasksPerSecond()
                        ? request.getTaskQueueMetadata().getMaxTasksPerSecond().getValue() : DEFAULT_RATE_PER_SECOND,
                request.hasWorkerVersionCapabilities() ? request.getWorkerVersionCapabilities() : null,
                request.hasDeploymentOptions() ? request.getDeploymentOptions() : null, request.getTaskQueue());
    }

    public static Poller of(io.temporal.api.workflowservice.v1.PollNexusTaskQueueRequest request) {
        return of(request.getIdentity(), DEFAULT_RATE_PER_SECOND,
                request.hasWorkerVersionCapabilities() ? request.getWorkerVersionCapabilities() : null,
                request.hasDeploymentOptions() ? request.getDeploymentOptions() : null, request.getTaskQueue());
    }

    private static Poller of(String identity, double ratePerSecond, WorkerVersionCapabilities capabilities,
                             WorkerDeploymentOptions deployment, TaskQueue queue) {
        PollerInfo.Builder info = PollerInfo.newBuilder().setIdentity(identity).setRatePerSecond(ratePerSecond);
        if (capabilities != null) {
            info.setWorkerVersionCapabilities(capabilities);
        }
        if (deployment != null) {
            info.setDeploymentOptions(deployment);
        }
        return new Poller(info.build(), queue.getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY);
    }

    /** A poll without an identity is not listed, as in Temporal. */
    boolean listed() {
        return !info.getIdentity().isEmpty();
    }
}
