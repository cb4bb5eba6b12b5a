package dev.aeon.dataplane.matching;

/**
 * The task queue partition a request names, parsed and checked by the frontend as Temporal's {@code tqid} does.
 * Aeon keeps each task queue in one partition, 0; partition n of {@code orders} is named {@code /_sys/orders/n}.
 *
 * @param name      the queue's name: the task queue's (a normal partition) or the worker's sticky queue's
 * @param partition 0 for the task queue itself (its root partition), n for {@code /_sys/<name>/n}
 * @param sticky    the request said TASK_QUEUE_KIND_STICKY
 */
public record TaskQueuePartition(String name, int partition, boolean sticky) {

    /** Whether Aeon has this partition: only root partitions (and sticky queues) hold tasks and pollers. */
    boolean exists() {
        return partition == 0;
    }
}
