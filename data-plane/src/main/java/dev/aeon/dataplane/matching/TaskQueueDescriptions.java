package dev.aeon.dataplane.matching;

import com.google.protobuf.Duration;
import io.temporal.api.enums.v1.RateLimitSource;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueuePartitionMetadata;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.taskqueue.v1.TaskQueueStatus;
import io.temporal.api.taskqueue.v1.TaskQueueTypeInfo;
import io.temporal.api.taskqueue.v1.TaskQueueVersionInfo;
import io.temporal.api.taskqueue.v1.TaskQueueVersionSelection;
import io.temporal.api.taskqueue.v1.TaskQueueVersioningInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.ListTaskQueuePartitionsResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * DescribeTaskQueue and ListTaskQueuePartitions as Temporal's matching answers them, for Aeon's one partition per
 * task queue: the workers that polled lately, the backlog (count, age of the oldest task, add and dispatch rates),
 * read from this node's matching or from every node's together ({@link Snapshots}). A queue matching does not hold
 * is described empty, never NOT_FOUND, and describing it loads nothing. A queue belongs to one namespace: nothing
 * here reaches another namespace's queues.
 */
@ApplicationScoped
public class TaskQueueDescriptions {

    /**
     * Aeon limits no task queue's dispatch rate, so it reports the rate Temporal's matching starts every queue with
     * when nothing limits it ({@code defaultTaskDispatchRPS}).
     */
    static final double DISPATCH_RATE_LIMIT = Poller.DEFAULT_RATE_PER_SECOND;
    /** Temporal's default priority (of five): every task of Aeon's, which has no task priorities yet. */
    static final int DEFAULT_PRIORITY_KEY = 3;
    /** The build id of unversioned workers: Aeon routes no task by build id. */
    static final String UNVERSIONED = "";
    /** What Temporal names a queue's current version when no worker deployment version is current. */
    static final String UNVERSIONED_VERSION = "__unversioned__";

    /** Where a description reads a queue from: this node's matching, or every node's together. */
    public interface Snapshots {
        TaskQueueSnapshot of(String namespaceId, String name, DispatchTask.Kind kind);
    }

    /** The queue as {@code snapshots} reads it. */
    public DescribeTaskQueueResponse describe(String namespaceId, TaskQueuePartition partition,
                                              DescribeTaskQueueRequest request, Snapshots snapshots) {
        return switch (request.getApiMode()) {
            case DESCRIBE_TASK_QUEUE_MODE_ENHANCED -> enhanced(namespaceId, partition, request, snapshots);
            default -> legacy(namespaceId, partition, request, snapshots);
        };
    }

    /** Every partition of the task queue and the node that owns it: one partition, here. */
    public ListTaskQueuePartitionsResponse partitions(String name, String ownerHost) {
        TaskQueuePartitionMetadata only = TaskQueuePartitionMetadata.newBuilder().setKey(name)
                .setOwnerHostName(ownerHost).build();
        return ListTaskQueuePartitionsResponse.newBuilder()
                .addActivityTaskQueuePartitions(only).addWorkflowTaskQueuePartitions(only).build();
    }

    /** One partition of one type (what SDKs and {@code temporal task-queue describe --legacy-mode} ask). */
    @SuppressWarnings("deprecation") // task_queue_status and current_version: deprecated, still what this mode answers
    private DescribeTaskQueueResponse legacy(String namespaceId, TaskQueuePartition partition,
                                             DescribeTaskQueueRequest request, Snapshots snapshots) {
        TaskQueueType type = request.getTaskQueueType() == TaskQueueType.TASK_QUEUE_TYPE_UNSPECIFIED
                ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : request.getTaskQueueType();
        TaskQueueSnapshot queue = partition.exists() ? snapshot(snapshots, namespaceId, partition.name(), type)
                : TaskQueueSnapshot.EMPTY;
        DescribeTaskQueueResponse.Builder response = DescribeTaskQueueResponse.newBuilder()
                .addAllPollers(queue.pollers());
        if (request.getIncludeTaskQueueStatus()) {
            // Read and ack levels and task id blocks are positions in Temporal's per-queue task table; Aeon's tasks
            // live in their workflows' shards, so those stay unset.
            response.setTaskQueueStatus(TaskQueueStatus.newBuilder().setBacklogCountHint(queue.backlog())
                    .setRatePerSecond(DISPATCH_RATE_LIMIT));
        }
        if (request.getReportStats()) {
            TaskQueueStats stats = stats(queue);
            response.setStats(stats).putStatsByPriorityKey(DEFAULT_PRIORITY_KEY, stats);
        }
        if (!partition.sticky() && !queue.sticky()) {
            response.setVersioningInfo(TaskQueueVersioningInfo.newBuilder().setCurrentVersion(UNVERSIONED_VERSION));
        }
        return response.setEffectiveRateLimit(DescribeTaskQueueResponse.EffectiveRateLimit.newBuilder()
                .setRequestsPerSecond((float) DISPATCH_RATE_LIMIT)
                .setRateLimitSource(RateLimitSource.RATE_LIMIT_SOURCE_SYSTEM)).build();
    }

    /**
     * The task queue's types by build id (what {@code temporal task-queue describe} asks by default). Every worker
     * of Aeon's is unversioned, so only the unversioned build id has pollers and tasks.
     */
    @SuppressWarnings("deprecation") // the enhanced mode is deprecated in Temporal's API, still what the CLI calls
    private DescribeTaskQueueResponse enhanced(String namespaceId, TaskQueuePartition partition,
                                               DescribeTaskQueueRequest request, Snapshots snapshots) {
        List<TaskQueueType> types = request.getTaskQueueTypesCount() == 0
                ? List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                : request.getTaskQueueTypesList();
        DescribeTaskQueueResponse.Builder response = DescribeTaskQueueResponse.newBuilder();
        for (String buildId : buildIds(request)) {
            TaskQueueVersionInfo.Builder version = TaskQueueVersionInfo.newBuilder();
            if (buildId.equals(UNVERSIONED)) {
                for (TaskQueueType type : types) {
                    TaskQueueSnapshot queue = snapshot(snapshots, namespaceId, partition.name(), type);
                    TaskQueueTypeInfo.Builder info = TaskQueueTypeInfo.newBuilder();
                    if (request.getReportPollers()) {
                        info.addAllPollers(queue.pollers());
                    }
                    if (request.getReportStats()) {
                        info.setStats(stats(queue));
                    }
                    version.putTypesInfo(type.getNumber(), info.build());
                }
            }
            response.putVersionsInfo(buildId, version.build());
        }
        return response.build();
    }

    /** The build ids asked for; none named means the default one, which is the unversioned one on Aeon. */
    @SuppressWarnings("deprecation")
    private static Set<String> buildIds(DescribeTaskQueueRequest request) {
        Set<String> buildIds = new LinkedHashSet<>();
        if (!request.hasVersions()) {
            buildIds.add(UNVERSIONED);
            return buildIds;
        }
        TaskQueueVersionSelection versions = request.getVersions();
        buildIds.addAll(versions.getBuildIdsList());
        if (versions.getUnversioned() || versions.getAllActive()) {
            buildIds.add(UNVERSIONED);
        }
        return buildIds;
    }

    private static TaskQueueSnapshot snapshot(Snapshots snapshots, String namespaceId, String name,
                                              TaskQueueType type) {
        return switch (type) {
            case TASK_QUEUE_TYPE_WORKFLOW -> snapshots.of(namespaceId, name, DispatchTask.Kind.WORKFLOW);
            case TASK_QUEUE_TYPE_ACTIVITY -> snapshots.of(namespaceId, name, DispatchTask.Kind.ACTIVITY);
            case TASK_QUEUE_TYPE_NEXUS -> snapshots.of(namespaceId, name, DispatchTask.Kind.NEXUS);
            default -> TaskQueueSnapshot.EMPTY;
        };
    }

    /** Temporal always sets the backlog age, zero for an empty backlog. */
    private static TaskQueueStats stats(TaskQueueSnapshot queue) {
        long ageNanos = queue.backlog() == 0 ? 0 : queue.backlogAge().toNanos();
        return TaskQueueStats.newBuilder()
                .setApproximateBacklogCount(queue.backlog())
                .setApproximateBacklogAge(Duration.newBuilder().setSeconds(ageNanos / 1_000_000_000)
                        .setNanos((int) (ageNanos % 1_000_000_000)))
                .setTasksAddRate(queue.addRate())
                .setTasksDispatchRate(queue.dispatchRate())
                .build();
    }
}
