package dev.aeon.dataplane.matching;

import io.temporal.api.taskqueue.v1.PollerInfo;

import java.time.Duration;
import java.util.List;

/**
 * One task queue as matching sees it now, for DescribeTaskQueue.
 *
 * @param pollers      workers that polled it within the last five minutes
 * @param backlog      tasks waiting for a worker (query tasks, which Temporal never keeps in a backlog, not counted)
 * @param backlogAge   how long the oldest of them has waited, since this node's matching first had it
 * @param addRate      tasks added per second, last 30 s
 * @param dispatchRate tasks handed to workers per second, last 30 s
 * @param sticky       a worker's sticky queue (its workers polled it as such)
 */
public record TaskQueueSnapshot(List<PollerInfo> pollers, int backlog, Duration backlogAge, float addRate,
                                float dispatchRate, boolean sticky) {

    /** A queue matching does not hold: nobody polled it lately and nothing waits in it. */
    public static final TaskQueueSnapshot EMPTY = new TaskQueueSnapshot(List.of(), 0, Duration.ZERO, 0, 0, false);
}
