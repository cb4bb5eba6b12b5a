package dev.aeon.dataplane.history.engine;

import dev.aeon.dataplane.matching.DispatchTask;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the transfer rows that are not for workers (work between workflows, visibility records) after the
 * transition that created them commits, and again after a failure or a restart, or when reconciliation finds a row
 * this queue does not have: at least once, so their handlers are idempotent. Each kind has its handler, registered
 * by the lifecycle that owns it before the engine hands pending rows back at start.
 */
@ApplicationScoped
public class InternalTaskQueue {

    private static final Logger LOG = Logger.getLogger(InternalTaskQueue.class);

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-internal-task-retries");
        t.setDaemon(true);
        return t;
    });
    private record TaskKey(int shardId, long taskId) {
    }

    /** Tasks taken and not yet done: a task submitted again (reconciliation) while here is not run twice at once. */
    private final java.util.Set<TaskKey> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private record Handler(Consumer<DispatchTask> handler, Executor executor) {
    }

    private final Map<DispatchTask.Kind, Handler> handlers = new ConcurrentHashMap<>();

    /** Runs {@code kinds} of tasks with {@code handler} on {@code executor}. */
    public void onTask(Set<DispatchTask.Kind> kinds, Consumer<DispatchTask> handler, Executor executor) {
        kinds.forEach(kind -> handlers.put(kind, new Handler(handler, executor)));
    }

    void submit(DispatchTask task) {
        Handler handler = handlers.get(task.kind());
        if (handler == null) {
            // Lifecycles register their kinds before the engine hands pending rows back: a bug, and the row stays
            // for reconciliation to offer again.
            LOG.errorf("no handler for %s tasks; task %d of shard %d left pending", task.kind(), task.taskId(),
                    task.shardId());
            return;
        }
        if (running.add(new TaskKey(task.shardId(), task.taskId()))) {
            handler.executor().execute(() -> run(task, handler, 1));
        }
    }

    /** Whether this queue has the task (running, or waiting to retry). */
    boolean holds(int shardId, long taskId) {
        return running.contains(new TaskKey(shardId, taskId));
    }

    /** Which shards' tasks this node runs; a task of a shard given up is left to its new owner. */
    void servedShards(java.util.function.IntPredicate served) {
        this.servedShards = served;
    }

    private volatile java.util.function.IntPredicate servedShards = shard -> true;

    private void run(DispatchTask task, Handler handler, int attempt) {
        try {
            handler.handler().accept(task);
            running.remove(new TaskKey(task.shardId(), task.taskId()));
        } catch (RuntimeException e) {
            if (!servedShards.test(task.shardId())) {
                running.remove(new TaskKey(task.shardId(), task.taskId()));
                return; // the shard's new owner runs it from its row
            }
            long delay = Math.min(30_000, 200L << Math.min(attempt, 7));
            LOG.warnf("%s task of run %s failed (%s); retrying in %d ms", task.kind(), task.runId(), e.getMessage(),
                    delay);
            retries.schedule(() -> handler.executor().execute(() -> run(task, handler, attempt + 1)), delay,
                    TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
