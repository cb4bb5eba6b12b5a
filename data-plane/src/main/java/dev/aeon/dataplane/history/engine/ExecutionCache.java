package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.history.state.ExecutionState;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Open workflows' mutable state kept in memory, bounded; and the lock that serializes every change to one
 * workflow id (all its runs, so a new run and the close of the old one never interleave). Evicted state is
 * reloaded from Cassandra on next use.
 */
final class ExecutionCache {

    record WorkflowKey(String namespaceId, String workflowId) {
    }

    /**
     * A run's state as last committed, with the version its record carries in Cassandra and the range id of this
     * node's hold on the shard when it was read or written (0: read while not holding the shard). A copy is only
     * good under the same hold: once the shard was another node's, that node may have changed the run.
     */
    static final class LoadedRun {
        ExecutionState state;
        long version;
        final long rangeId;

        LoadedRun(ExecutionState state, long version, long rangeId) {
            this.state = state;
            this.version = version;
            this.rangeId = rangeId;
        }
    }

    static final class WorkflowContext {
        private static final int RUNS_KEPT = 4;
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, LoadedRun> runs = new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LoadedRun> eldest) {
                return size() > RUNS_KEPT;
            }
        };
    }

    private final int capacity;
    private final Map<WorkflowKey, WorkflowContext> contexts = new ConcurrentHashMap<>();

    ExecutionCache(int capacity) {
        this.capacity = capacity;
    }

    /** Locks the workflow id; the caller must {@link #unlock} it. */
    WorkflowContext lock(WorkflowKey key) {
        while (true) {
            WorkflowContext context = contexts.computeIfAbsent(key, k -> new WorkflowContext());
            context.lock.lock();
            if (contexts.get(key) == context) {
                return context;
            }
            context.lock.unlock(); // evicted between lookup and lock: take the new one
        }
    }

    void unlock(WorkflowContext context) {
        context.lock.unlock();
        if (contexts.size() > capacity) {
            evictIdle();
        }
    }

    /**
     * Drops the cached runs of every workflow {@code inShard} accepts (a shard this node gave up: another node
     * changes them from now on), telling {@code forgotten} each run id. Never waits: a workflow locked now is left
     * as it is (its copy carries the range id it was read under, and is not trusted under another).
     */
    void forgetShard(java.util.function.Predicate<WorkflowKey> inShard, java.util.function.Consumer<String> forgotten) {
        for (Map.Entry<WorkflowKey, WorkflowContext> entry : contexts.entrySet()) {
            WorkflowContext context = entry.getValue();
            if (inShard.test(entry.getKey()) && context.lock.tryLock()) {
                try {
                    context.runs.keySet().forEach(forgotten);
                    context.runs.clear();
                } finally {
                    context.lock.unlock();
                }
            }
        }
    }

    private void evictIdle() {
        Iterator<Map.Entry<WorkflowKey, WorkflowContext>> it = contexts.entrySet().iterator();
        int excess = contexts.size() - capacity;
        while (excess > 0 && it.hasNext()) {
            WorkflowContext context = it.next().getValue();
            if (context.lock.tryLock()) {
                try {
                    it.remove();
                    excess--;
                } finally {
                    context.lock.unlock();
                }
            }
        }
    }
}
