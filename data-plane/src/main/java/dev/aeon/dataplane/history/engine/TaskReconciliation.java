package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.matching.TaskQueues;
import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStore.ShardOwnershipLostException;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskKind;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The reading side of the transactional outbox. Task and timer rows are written by the transition that creates
 * them and handed to matching, the timer queue or the cross-workflow queue once it commits; that hand-over is in
 * memory and can be missed (a commit reported failed that did apply, a start that failed after matching let go of
 * its task). So each shard's rows are read again every {@code task-reconcile-interval}, and every row that nobody
 * holds is handed over again. Handlers are idempotent: a stale task is skipped, a stale timer does nothing, a
 * cross-workflow task is keyed by its initiating event. The first pass, when the node takes its shards over, is
 * start-up recovery.
 *
 * <p>Each pass also moves the shard's ack levels up to its oldest pending row, so no read ever scans the rows
 * consumed before it (tombstones, in Cassandra). Invariant: a level only passes a task id issued at least
 * {@code task-settle-time} ago, and a time at least that long ago, so no transition still committing can write a
 * row below it.
 */
final class TaskReconciliation {

    private static final Logger LOG = Logger.getLogger(TaskReconciliation.class);

    private final ExecutionStore store;
    private final Shards shards;
    private final TaskQueues matching;
    private final TimerQueue timers;
    private final InternalTaskQueue internalTasks;
    private final long settleMillis;
    private final ShardProgress[] progress;

    /** What the passes over one shard remember. */
    private static final class ShardProgress {
        /** Rows with task ids below this existed at the previous pass: their hand-over is due by now. */
        long settledBelow;
        /** Task id watermarks by the time they were taken, oldest first, for the transfer ack level. */
        final Deque<long[]> watermarks = new ArrayDeque<>();
        /** The newest watermark taken at least the settle time ago: every task id below it is in a row or never. */
        long settledTaskId;
        long transferAck;
        long timerAck;
    }

    TaskReconciliation(ExecutionStore store, Shards shards, TaskQueues matching, TimerQueue timers,
                       InternalTaskQueue internalTasks, long settleMillis) {
        this.store = store;
        this.shards = shards;
        this.matching = matching;
        this.timers = timers;
        this.internalTasks = internalTasks;
        this.settleMillis = settleMillis;
        this.progress = new ShardProgress[shards.count()];
        for (int shard = 0; shard < progress.length; shard++) {
            progress[shard] = new ShardProgress();
        }
    }

    /** Recovery when this node takes one shard over: hands every pending row of it over; returns how many. */
    synchronized int recover(int shardId) {
        progress[shardId] = new ShardProgress();
        return pass(shardId, Long.MAX_VALUE);
    }

    /** One periodic pass over every shard; a failing shard does not stop the others. */
    synchronized void reconcileAll() {
        for (int shard = 0; shard < shards.count(); shard++) {
            try {
                int handedOver = pass(shard, progress[shard].settledBelow);
                if (handedOver > 0) {
                    LOG.infof("shard %d: handed %d lost tasks and timers over again", shard, handedOver);
                }
            } catch (RuntimeException e) {
                LOG.warnf("shard %d: reconciliation failed (%s); next pass retries", shard, e.getMessage());
            }
        }
    }

    /** Hands over every row below {@code dueBelow} nobody holds; returns how many. */
    private int pass(int shardId, long dueBelow) {
        if (!shards.serves(shardId)) {
            return 0; // another node's (or nobody's yet): its tasks are that node's to hand over
        }
        ShardContext shard = shards.context(shardId);
        if (store.rangeId(shardId) != shard.rangeId()) {
            shards.markLost(shard); // found even when no write of this node tells it
            return 0;
        }
        ShardProgress shardProgress = progress[shardId];
        long now = System.currentTimeMillis();
        long watermark = shard.taskIdWatermark();
        shardProgress.settledBelow = watermark;
        long oldestTransfer = Long.MAX_VALUE;
        long oldestTimer = Long.MAX_VALUE;
        int handedOver = 0;
        long timersDueBefore = timers.horizonMillis() >= Long.MAX_VALUE - now ? Long.MAX_VALUE
                : now + timers.horizonMillis(); // later timers stay rows until a later pass
        for (TaskRecord row : store.pendingTasks(shardId, timersDueBefore)) {
            if (row.kind() == TaskKind.TRANSFER) {
                oldestTransfer = Math.min(oldestTransfer, row.taskId());
            } else {
                oldestTimer = Math.min(oldestTimer, row.fireAtMillis());
            }
            if (row.taskId() < dueBelow && handOver(row)) {
                handedOver++;
            }
        }
        advanceAckLevels(shard, shardProgress, now, watermark, oldestTransfer, oldestTimer);
        return handedOver;
    }

    private boolean handOver(TaskRecord row) {
        if (row.kind() == TaskKind.TIMER) {
            timers.reconcile(StateCodec.timerTask(row.data()));
            return false; // the timer queue dedupes silently; counting it would report every armed timer
        }
        DispatchTask task = StateCodec.dispatchTask(row.data());
        if (task.kind().forWorkers()) {
            if (matching.holds(task.shardId(), task.taskId())) {
                return false;
            }
            matching.offer(task);
        } else {
            if (internalTasks.holds(task.shardId(), task.taskId())) {
                return false;
            }
            internalTasks.submit(task);
        }
        return true;
    }

    private void advanceAckLevels(ShardContext shard, ShardProgress shardProgress, long now, long watermark,
                                  long oldestTransfer, long oldestTimer) {
        Deque<long[]> watermarks = shardProgress.watermarks;
        watermarks.addLast(new long[] {now, watermark});
        while (!watermarks.isEmpty() && watermarks.peekFirst()[0] <= now - settleMillis) {
            shardProgress.settledTaskId = watermarks.pollFirst()[1];
        }
        long transferAck = Math.max(shardProgress.transferAck,
                Math.min(oldestTransfer, shardProgress.settledTaskId));
        long timerAck = Math.max(shardProgress.timerAck, Math.min(oldestTimer, now - settleMillis));
        if (transferAck == shardProgress.transferAck && timerAck == shardProgress.timerAck) {
            return;
        }
        try {
            store.advanceAckLevels(shard.shardId(), shard.rangeId(), transferAck, timerAck);
            shardProgress.transferAck = transferAck;
            shardProgress.timerAck = timerAck;
        } catch (ShardOwnershipLostException e) {
            shards.markLost(shard);
        }
    }
}
