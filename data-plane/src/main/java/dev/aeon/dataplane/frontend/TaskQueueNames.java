package dev.aeon.dataplane.frontend;

import dev.aeon.dataplane.errors.ApiErrors;
import dev.aeon.dataplane.history.rules.Validation;
import dev.aeon.dataplane.matching.TaskQueuePartition;
import io.temporal.api.enums.v1.DescribeTaskQueueMode;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;

/**
 * Task queue names as Temporal's {@code tqid} checks and parses them, with its words: a request may name a queue
 * ({@code orders}), one of its partitions ({@code /_sys/orders/3}) or a worker's sticky queue (kind STICKY).
 */
final class TaskQueueNames {

    private static final String PARTITION_PREFIX = "/_sys/";

    private TaskQueueNames() {
    }

    /** The partition DescribeTaskQueue names, checked as Temporal's frontend and matching check it. */
    static TaskQueuePartition described(DescribeTaskQueueRequest request) {
        boolean enhanced = request.getApiMode() == DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED;
        TaskQueue queue = request.getTaskQueue();
        if (enhanced) {
            root(request.hasTaskQueue(), queue);
        } else {
            validate(request.hasTaskQueue(), queue, false);
        }
        TaskQueuePartition partition = parse(queue);
        if (enhanced && partition.sticky()) {
            throw ApiErrors.invalidArgument("Enhanced DescribeTaskQueue is not valid for a sticky queue, use"
                    + " api_mode=UNSPECIFIED or a normal queue.");
        }
        if (!enhanced && request.getReportStats() && (partition.sticky() || partition.partition() != 0)) {
            throw ApiErrors.invalidArgument("DescribeTaskQueue stats are only supported for the root partition");
        }
        return partition;
    }

    /** A task queue's own name, as calls about the whole task queue (ListTaskQueuePartitions) take it. */
    static String root(boolean present, TaskQueue queue) {
        validate(present, queue, true);
        return queue.getName();
    }

    private static void validate(boolean present, TaskQueue queue, boolean root) {
        if (!present) {
            throw ApiErrors.invalidArgument("taskQueue is not set");
        }
        if (queue.getName().isEmpty()) {
            throw ApiErrors.invalidArgument("missing task queue name");
        }
        validateName(queue.getName(), root);
        if (queue.getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY && !queue.getNormalName().isEmpty()) {
            validateName(queue.getNormalName(), false);
        }
    }

    private static void validateName(String name, boolean root) {
        if (name.length() > Validation.MAX_ID_LENGTH) {
            throw ApiErrors.invalidArgument("taskQueue length exceeds limit");
        }
        if (root && name.startsWith(PARTITION_PREFIX)) {
            throw ApiErrors.invalidArgument("task queue name cannot start with reserved prefix " + PARTITION_PREFIX);
        }
    }

    /** Temporal's PartitionFromProto: the base name, the partition number, and whether it is a sticky queue. */
    private static TaskQueuePartition parse(TaskQueue queue) {
        String name = queue.getName();
        String base = name;
        int partition = 0;
        if (name.startsWith(PARTITION_PREFIX)) {
            int slash = name.lastIndexOf('/');
            if (slash <= PARTITION_PREFIX.length()) {
                throw ApiErrors.invalidArgument("invalid task queue partition name " + name);
            }
            base = name.substring(PARTITION_PREFIX.length(), slash);
            partition = partitionNumber(name, name.substring(slash + 1));
        }
        if (base.startsWith(PARTITION_PREFIX)) {
            throw ApiErrors.invalidArgument("task queue family name cannot have prefix /_sys/ " + base);
        }
        boolean sticky = queue.getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY;
        if (!queue.getNormalName().isEmpty() && !sticky) {
            throw ApiErrors.invalidArgument("only sticky queues can have normal name. tq: " + base
                    + ", normal name: " + queue.getNormalName());
        }
        if (sticky && partition != 0) {
            throw ApiErrors.invalidArgument("only sticky partitions can not have non-zero partition ID. base name: "
                    + base + ", normal name: " + queue.getNormalName());
        }
        return new TaskQueuePartition(base, partition, sticky);
    }

    private static int partitionNumber(String name, String suffix) {
        try {
            int partition = Integer.parseInt(suffix);
            if (partition > 0) {
                return partition;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, as Temporal answers it
        }
        throw ApiErrors.invalidArgument("invalid task queue partition name " + name);
    }
}
