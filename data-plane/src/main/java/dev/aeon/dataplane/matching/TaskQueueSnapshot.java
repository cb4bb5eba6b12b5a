package dev.aeon.dataplane.matching;

import com.google.protobuf.util.Timestamps;
import io.temporal.api.taskqueue.v1.PollerInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * One queue as several nodes' matching hold it (each holds its own shards' tasks): the backlogs and rates add up,
     * the oldest task sets the age, and a worker (a poll waits on every node, so each lists it) is listed once, as
     * it last polled anywhere.
     */
    public static TaskQueueSnapshot merge(List<TaskQueueSnapshot> parts) {
        Map<String, PollerInfo> pollers = new LinkedHashMap<>();
        int backlog = 0;
        Duration age = Duration.ZERO;
        float addRate = 0;
        float dispatchRate = 0;
        boolean sticky = false;
        for (TaskQueueSnapshot part : parts) {
            for (PollerInfo poller : part.pollers()) {
                pollers.merge(poller.getIdentity(), poller, (seen, other) -> Timestamps.compare(
                        seen.getLastAccessTime(), other.getLastAccessTime()) >= 0 ? seen : other);
            }
            backlog += part.backlog();
            age = part.backlog() > 0 && part.backlogAge().compareTo(age) > 0 ? part.backlogAge() : age;
            addRate += part.addRate();
            dispatchRate += part.dispatchRate();
            sticky |= part.sticky();
        }
        return new TaskQueueSnapshot(new ArrayList<>(pollers.values()), backlog, age, addRate, dispatchRate, sticky);
    }
}
