package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.state.TimerTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerQueueTest {

    private final TimerQueue queue = new TimerQueue(Long.MAX_VALUE);
    private final List<TimerTask> fired = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        queue.stop();
    }

    @Test
    void cancellingOneShardsTimerLeavesAnotherShardsTimerWithTheSameTaskIdToFire() throws Exception {
        // Every shard numbers its tasks from 1 under its own range id, so equal task ids in two shards are normal.
        CountDownLatch latch = new CountDownLatch(1);
        queue.onFire(timer -> {
            fired.add(timer);
            latch.countDown();
        }, Runnable::run);
        long sameTaskId = (1L << 32) | 1;
        queue.schedule(timer(0, sameTaskId, 100));
        queue.schedule(timer(1, sameTaskId, 100));

        queue.cancel(0, sameTaskId);

        assertTrue(latch.await(5, TimeUnit.SECONDS), "shard 1's timer must still fire");
        Thread.sleep(200);
        assertEquals(List.of(1), fired.stream().map(TimerTask::shardId).toList());
        assertEquals(0, queue.pending());
    }

    @Test
    void aTimerDueNowIsNotLeftBehindAsPending() throws Exception {
        CountDownLatch latch = new CountDownLatch(50);
        queue.onFire(timer -> latch.countDown(), Runnable::run);
        for (int i = 0; i < 50; i++) {
            queue.schedule(timer(i % 4, i, 0));
        }
        assertTrue(latch.await(5, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertEquals(0, queue.pending());
    }

    @Test
    void aTimerBeyondTheHorizonIsLeftToItsRowAndOneWithinItFires() throws Exception {
        TimerQueue bounded = new TimerQueue(60_000);
        try {
            CountDownLatch latch = new CountDownLatch(1);
            bounded.onFire(timer -> latch.countDown(), Runnable::run);
            bounded.schedule(timer(0, 1, 3_600_000)); // an hour away: reconciliation hands it over when it nears
            bounded.reconcile(timer(0, 2, 86_400_000)); // a day away, found by a reconciliation pass: not held either
            assertEquals(0, bounded.pending());
            bounded.schedule(timer(0, 3, 50));
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } finally {
            bounded.stop();
        }
    }

    private static TimerTask timer(int shardId, long taskId, long delayMillis) {
        return new TimerTask(TimerTask.Kind.USER_TIMER, "ns", "wf-" + shardId, "run-" + shardId, 5, 1, 0, "t",
                shardId, taskId, System.currentTimeMillis() + delayMillis);
    }
}
