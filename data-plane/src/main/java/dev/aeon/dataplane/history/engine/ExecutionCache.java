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

    /** A run's state as last committed, with the version its record carries in Cassandra. */
    static final class LoadedRun {
        ExecutionState state;
        long version;

        LoadedRun(ExecutionState state, long version) {
            this.state = state;
            this.version = version;
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
