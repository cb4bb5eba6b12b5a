package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStore.TaskRecord;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes the rows of done idempotent tasks (visibility) a few milliseconds later, all of a shard's at once: one
 * single-partition write per shard and flush instead of one write per task. A row not deleted yet (a crash, a failed
 * write) is only run again by reconciliation, which its idempotent handler allows.
 */
final class DoneTaskRows {

    private static final Logger LOG = Logger.getLogger(DoneTaskRows.class);
    private static final long FLUSH_MILLIS = 20;
    /** Rows per write: well below Cassandra's batch size warning. */
    private static final int MAX_ROWS = 100;

    private final ExecutionStore store;
    private final ConcurrentLinkedQueue<TaskRecord> done = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "aeon-done-task-rows");
        thread.setDaemon(true);
        return thread;
    });

    DoneTaskRows(ExecutionStore store) {
        this.store = store;
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    void add(TaskRecord row) {
        done.add(row);
    }

    void stop() {
        flusher.shutdownNow();
        flush();
    }

    private void flush() {
        Map<Integer, List<TaskRecord>> byShard = new HashMap<>();
        for (TaskRecord row = done.poll(); row != null; row = done.poll()) {
            byShard.computeIfAbsent(row.shardId(), shard -> new ArrayList<>()).add(row);
        }
        byShard.forEach((shard, rows) -> {
            for (int from = 0; from < rows.size(); from += MAX_ROWS) {
                List<TaskRecord> slice = rows.subList(from, Math.min(rows.size(), from + MAX_ROWS));
                try {
                    store.deleteDoneTasks(shard, slice);
                } catch (RuntimeException e) {
                    LOG.warnf("shard %d: %d done task rows not deleted (%s); reconciliation runs them again",
                            shard, slice.size(), e.getMessage());
                }
            }
        });
    }
}
