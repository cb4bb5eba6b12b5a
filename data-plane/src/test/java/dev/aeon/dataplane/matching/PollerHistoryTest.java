package dev.aeon.dataplane.matching;

import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one task queue remembers of its workers is bounded in number and in time, as Temporal's poller cache. */
class PollerHistoryTest {

    private static Poller poller(String identity) {
        return Poller.of(PollWorkflowTaskQueueRequest.newBuilder().setIdentity(identity)
                .setTaskQueue(TaskQueue.newBuilder().setName("q").setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL)).build());
    }

    @Test
    void atMostOneThousandWorkersTheLeastRecentGoFirst() {
        PollerHistory history = new PollerHistory();
        for (int i = 0; i <= PollerHistory.MAX_POLLERS; i++) {
            history.record(poller("worker-" + i), 1_000 + i);
        }
        assertEquals(PollerHistory.MAX_POLLERS, history.recent(2_000).size());
        assertTrue(history.recent(2_000).stream().noneMatch(info -> info.getIdentity().equals("worker-0")));

        history.record(poller("worker-1"), 5_000); // polled again: now the most recent, no longer the least
        history.record(poller("newcomer"), 5_001);

        List<String> listed = history.recent(6_000).stream().map(info -> info.getIdentity()).toList();
        assertEquals(PollerHistory.MAX_POLLERS, listed.size());
        assertTrue(!listed.contains("worker-2") && listed.contains("worker-1"), "the least recent went: " + listed.get(0));
        assertEquals(List.of("worker-1", "newcomer"), listed.subList(listed.size() - 2, listed.size()));
        assertEquals(5, history.recent(6_000).get(listed.size() - 2).getLastAccessTime().getSeconds());
    }

    @Test
    void aWorkerIsListedForFiveMinutesAfterItsLastPollAndAPollWithoutIdentityNever() {
        PollerHistory history = new PollerHistory();
        history.record(poller("worker"), 0);
        history.record(poller(""), 0);

        assertEquals(1, history.recent(PollerHistory.TTL_MILLIS - 1).size());
        assertEquals(0, history.recent(PollerHistory.TTL_MILLIS).size());
        assertTrue(history.isEmpty(), "an expired worker is forgotten, not only hidden");
    }

    @Test
    void ratesCountTheLastThirtySeconds() {
        TaskRate rate = new TaskRate(0);
        for (int i = 0; i < 10; i++) {
            rate.count(1_000);
        }
        assertEquals(5f, rate.perSecond(2_000), 0.001f, "a queue younger than the window divides by its age");
        assertEquals(10f / 30, rate.perSecond(30_000), 0.001f);
        assertEquals(0f, rate.perSecond(40_000), "counted in the first bucket, out of the window");
    }
}
