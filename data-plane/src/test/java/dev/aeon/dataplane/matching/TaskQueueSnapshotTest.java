package dev.aeon.dataplane.matching;

import com.google.protobuf.util.Timestamps;
import io.temporal.api.taskqueue.v1.PollerInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One queue as several nodes hold it, described as one: every node's tasks, each worker once. */
class TaskQueueSnapshotTest {

    private static PollerInfo poller(String identity, long lastAccessMillis) {
        return PollerInfo.newBuilder().setIdentity(identity).setLastAccessTime(Timestamps.fromMillis(lastAccessMillis))
                .build();
    }

    @Test
    void backlogsAndRatesAddUpAndEachWorkerIsListedOnceAsItLastPolled() {
        TaskQueueSnapshot first = new TaskQueueSnapshot(List.of(poller("a", 1_000), poller("b", 5_000)), 3,
                Duration.ofSeconds(4), 1.5f, 1.0f, false);
        TaskQueueSnapshot second = new TaskQueueSnapshot(List.of(poller("a", 7_000)), 2, Duration.ofSeconds(9), 0.5f,
                2.0f, false);
        TaskQueueSnapshot merged = TaskQueueSnapshot.merge(List.of(first, second, TaskQueueSnapshot.EMPTY));

        assertEquals(5, merged.backlog());
        assertEquals(Duration.ofSeconds(9), merged.backlogAge(), "the oldest task anywhere");
        assertEquals(2.0f, merged.addRate());
        assertEquals(3.0f, merged.dispatchRate());
        assertEquals(List.of("a", "b"), merged.pollers().stream().map(PollerInfo::getIdentity).toList());
        assertEquals(7_000, Timestamps.toMillis(merged.pollers().get(0).getLastAccessTime()));
        assertFalse(merged.sticky());
    }

    @Test
    void anEmptyPartsAgeDoesNotCountAndStickinessCarries() {
        TaskQueueSnapshot empty = new TaskQueueSnapshot(List.of(), 0, Duration.ofMinutes(5), 0, 0, true);
        TaskQueueSnapshot busy = new TaskQueueSnapshot(List.of(), 1, Duration.ofSeconds(2), 0, 0, false);
        TaskQueueSnapshot merged = TaskQueueSnapshot.merge(List.of(empty, busy));

        assertEquals(Duration.ofSeconds(2), merged.backlogAge());
        assertTrue(merged.sticky());
        assertEquals(TaskQueueSnapshot.EMPTY, TaskQueueSnapshot.merge(List.of(TaskQueueSnapshot.EMPTY)));
    }
}
